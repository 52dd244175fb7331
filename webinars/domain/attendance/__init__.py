"""Attendance: each registrant attended or absent, and why.

- rule: the share of the session's minutes that counts, and minutes present from stays;
- matching: Zoom's participants matched to registrations (email; names only as suggestions);
- sheet: the list a lecturer reads (one row per registrant or walk-in, counts);
- changes: check-in, overrides with their audit, confirmed names, walk-ins, finalising;
- check_in_codes: the code in a student's QR that a lecturer's phone scans;
- retention: forgetting the details while keeping the outcome.
"""
