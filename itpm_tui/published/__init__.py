"""What `itpm serve` publishes behind secret links: calendar feeds and a project's page for
the helpdesk or the client. Built from the reports' and calendars' read models, served by
`published.routes`; never imports Textual."""
