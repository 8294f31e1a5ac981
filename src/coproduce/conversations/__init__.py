"""Opinion maps: conversations that show where members and staff agree."""
