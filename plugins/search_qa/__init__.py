"""功能设计: 智能搜索 and 智能问答 (search and Q&A).

Rows this plugin will score:
- 功能设计/智能搜索
- 功能设计/智能问答
- 功能设计推广/辅助功能

Its checks are not written yet; until they are, these rows show as
"not yet automated" (awaiting a manual score) in every report, never as passes.
"""

AUDITKIT_API = "1"
