"""数据开放 (open data).

Rows this plugin will score:
- 数据开放/开放目录
- 数据开放/开放平台
- 数据开放/数据质量
- 数据开放/开发利用

Its checks are not written yet; until they are, these rows show as
"not yet automated" (awaiting a manual score) in every report, never as passes.
"""

AUDITKIT_API = "1"
