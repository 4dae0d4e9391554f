"""信息发布 / 政务信息公开 (information release).

Rows this plugin will score:
- 信息发布/法定主动公开
- 信息发布/政府信息公开平台
- 信息发布/业务专栏
- 政务信息公开/基本政务
- 政务信息公开/产业发展
- 政务信息公开/科技创新
- 政务信息公开/人才引进
- 政务信息公开/招商引资
- 政务信息公开/绿色集约

Its checks are not written yet; until they are, these rows show as
"not yet automated" (awaiting a manual score) in every report, never as passes.
"""

AUDITKIT_API = "1"
