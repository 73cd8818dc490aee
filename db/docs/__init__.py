"""The document layer: fonts, page frame, layout helpers, rendering, the registry of document kinds."""
