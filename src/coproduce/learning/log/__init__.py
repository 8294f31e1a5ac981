"""The learning log (issue 21, item 7): after a session, what we tried, what we learned and what we will do
next, written by the organiser with participants as co-authors, linked to the ideas, tests of change and
decisions it touches, and published to the partnership only when every parent named in it agrees.

Its own layers, as an app's: ``views`` above ``services`` and ``selectors``, those above ``learning.models``."""
