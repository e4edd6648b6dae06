"""MS Project XML (MSPDI): a pure reader and writer, and the importer and exporter that map
them onto the services and queries."""
