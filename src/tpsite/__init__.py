"""Code shared by the site's macros and its tests."""
