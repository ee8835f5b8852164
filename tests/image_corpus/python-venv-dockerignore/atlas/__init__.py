"""Atlas: the map tile service."""
