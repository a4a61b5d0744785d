"""The Communities page: partner communities and organisations, their members and liaisons."""
