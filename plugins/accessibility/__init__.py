"""功能设计: 适老化及无障碍改造 (elderly-friendly and accessibility).

Rows this plugin will score:
- 功能设计/适老化及无障碍改造

Its checks are not written yet; until they are, these rows show as
"not yet automated" (awaiting a manual score) in every report, never as passes.
"""

AUDITKIT_API = "1"
