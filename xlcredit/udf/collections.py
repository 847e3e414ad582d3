"""Excel functions: collections (declarations only; the work is in the engine)."""

__all__: list[str] = []
