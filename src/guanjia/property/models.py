"""Models of the property app."""
