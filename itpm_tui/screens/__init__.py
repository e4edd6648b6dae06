"""Screens: one per part of the product, each asking the services and showing the answer."""
