"""Services: the rules of drafting, review, scheduling; views and the API call these."""
