"""政策解读 / 政策解读回应 (policy interpretation).

Rows this plugin will score:
- 政策解读/解读比例
- 政策解读/解读质量
- 政策解读/精准解读
- 政策解读回应/政策解读
- 政策解读回应/热点回应

Its checks are not written yet; until they are, these rows show as
"not yet automated" (awaiting a manual score) in every report, never as passes.
"""

AUDITKIT_API = "1"
