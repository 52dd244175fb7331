"""Certificates: of attendance for students who attended, of teaching for lecturers and
guest speakers; anyone can verify them.

- layout: the one layout the admin adjusts (issuer, signatories, colours, logo);
- content: what a certificate says, frozen at issue from the session as it is then;
- pdf: the A4 page, from that frozen content (fonts shipped in webinars/fonts);
- issue: issuing once per holder (in the worker), revoking, reissuing, corrections;
- mail: the email that carries the PDF, in the holder's language;
- verification: what the public page may show.
"""
