"""The feedback stage: answers from children and families, and the anonymised figures made
from them. Below `pages` in the flow, above the records."""
