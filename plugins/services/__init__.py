"""办事服务 / 网上政务服务 (online services).

Rows this plugin will score:
- 办事服务/服务覆盖度
- 办事服务/网办深度
- 办事服务/服务准确度
- 办事服务/服务集成度
- 网上政务服务/服务一体化
- 网上政务服务/服务准确度
- 网上政务服务/企业开办
- 网上政务服务/经营纳税
- 网上政务服务/项目投资
- 网上政务服务/就业创业
- 网上政务服务/公共服务

Its checks are not written yet; until they are, these rows show as
"not yet automated" (awaiting a manual score) in every report, never as passes.
"""

AUDITKIT_API = "1"
