"""The ``dockerfile:`` image source: parse, expand, evaluate a recipe, and the view of the image it builds."""
