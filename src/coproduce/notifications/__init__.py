"""One inbox for every capability: notices, who gets them how, quiet hours and the daily digest (ADR 29)."""
