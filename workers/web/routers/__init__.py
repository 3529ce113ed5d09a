"""One router per resource: the API (`/api/...`) and the pages."""
