"""What the demo appeals say, and how often: categories, channels, titles, handlers' notes, ratings."""

CHANNELS = (("web", 52), ("phone", 20), ("visit", 10), ("walk_in", 5), ("api", 9), ("open311", 4))
CATEGORY_WEIGHTS = {
    "public-repair": 14,
    "private-repair": 12,
    "sanitation": 10,
    "parking": 9,
    "greening": 4,
    "lighting": 6,
    "water-sewer": 7,
    "noise": 8,
    "dispute": 4,
    "hazard-gas": 1,
    "hazard-ev-charging": 3,
    "hazard-fire-escape": 3,
    "hazard-other": 2,
    "property-service": 6,
    "rental": 2,
    "elder-help": 4,
    "suggestion": 3,
    "other": 2,
}
TITLES = {
    "public-repair": ["楼道灯不亮", "单元门禁坏了", "电梯经常停运", "屋面漏雨", "楼道扶手松动"],
    "private-repair": ["卫生间漏水到楼下", "暖气不热", "入户水管滴水", "下水道堵塞"],
    "sanitation": ["垃圾清运不及时", "楼道堆放杂物", "绿化带垃圾多", "化粪池外溢"],
    "parking": ["车位被外来车辆占用", "消防通道停车", "非机动车乱停放"],
    "greening": ["树枝挡住窗户", "草坪无人修剪", "枯树有倒伏危险"],
    "lighting": ["小区路灯不亮", "广场照明损坏"],
    "water-sewer": ["停水无通知", "雨水井堵塞", "自来水发黄"],
    "noise": ["夜间装修噪音", "广场舞音响过大", "空调外机噪音"],
    "dispute": ["楼上漏水邻里纠纷", "占用公共空间纠纷", "宠物扰民"],
    "hazard-gas": ["楼道有燃气味"],
    "hazard-ev-charging": ["电动车飞线充电", "楼道内给电瓶充电"],
    "hazard-fire-escape": ["消防通道被堵", "楼道堆放易燃物"],
    "hazard-other": ["外墙瓷砖脱落", "井盖缺失"],
    "property-service": ["物业费公示不清", "保安不在岗", "维修拖延"],
    "rental": ["群租房扰民", "出租房未登记"],
    "elder-help": ["独居老人需要帮助", "老人就医需协助"],
    "suggestion": ["建议增设充电桩", "建议加装电梯", "建议增加休闲座椅"],
    "other": ["咨询办事流程", "其他问题"],
}
NOTES = {
    "resolve": ["已现场处理完毕", "已联系维修人员修复", "已协调相关方解决", "已清理完毕", "已更换损坏部件"],
    "reject": ["属于私人产权纠纷，建议通过法律途径解决", "重复诉求，已合并办理"],
    "defer": ["需采购配件，延期办理", "需业主大会表决后实施", "等待供电部门排期"],
    "transfer": ["属于物业服务范围", "需包片干部协调", "涉及多个网格，转交处理"],
    "reopen": ["问题没有解决", "修好后又坏了"],
    "urge": ["请尽快处理"],
    "callback": ["电话回访，居民认可处理结果", "上门回访，问题已解决"],
}
RATINGS = (("satisfied", 74), ("basically_satisfied", 18), ("unsatisfied", 8))
