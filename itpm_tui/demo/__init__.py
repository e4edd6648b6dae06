"""The demo portfolio shown by `itpm demo`: for showing the product, never as proof of it."""
