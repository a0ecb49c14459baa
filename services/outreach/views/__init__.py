"""Pages of outreach: events and registrations (``events``), award nominations (``nominations``),
and the directory with service requests (``directory``)."""
