"""The Moderation page: confidential cases."""
