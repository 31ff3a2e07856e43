"""The desk: the web app where analysts enter and review records and editors publish the
day's edition (``sitrep serve``), and the publishing workflow ``sitrep run`` follows."""
