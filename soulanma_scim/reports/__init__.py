"""Reports of a run: the HTML report and the curl commands in it."""
