"""集约共享 (consolidation).

Rows this plugin will score:
- 集约共享/标准规范
- 集约共享/平台功能
- 集约共享/资源调用共享互认

Its checks are not written yet; until they are, these rows show as
"not yet automated" (awaiting a manual score) in every report, never as passes.
"""

AUDITKIT_API = "1"
