"""Grading where courses run: Gradescope and PrairieLearn autograders, one submission per container.

uploads.py finds the student's files in what the platform hands over; grader.judging.context_cache
keeps the class cases and expected values computed at image build time; single.py grades one submission from
a cold start; entry.py is what both entry points do for one upload; kit.py is what both bundles
carry; gradescope.py and prairielearn.py build the bundles and turn records into their results.
"""
