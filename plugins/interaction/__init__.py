"""互动交流 / 互动交流参与 (interaction).

Rows this plugin will score:
- 互动交流/咨询投诉
- 互动交流/征集调查
- 互动交流参与/咨询投诉
- 互动交流参与/调查征集
- 互动交流参与/互动知识库

Its checks are not written yet; until they are, these rows show as
"not yet automated" (awaiting a manual score) in every report, never as passes.
"""

AUDITKIT_API = "1"
