"""Learning together: events parents can come to (registration with what would help them come, waiting
lists, calendars, reminders, attendance, paid time and expenses) and the shared learning log."""
