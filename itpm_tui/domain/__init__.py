"""Plain-Python rules of the product: no Textual, no SQL."""
