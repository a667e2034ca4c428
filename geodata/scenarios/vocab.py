"""Words the scenarios are made of: departments and their skills, place and person names.

Departments are written without their level prefix ("财政局"); a city-level unit is
``"市" + suffix`` (or the city's name in multi-city scenarios) and a county-level one is
``district name + suffix`` (市财政局, 古塔区财政局, 大冶市财政局). Only the three economic
departments carry the finance / transport / business-environment skills, so a cadre with one
of those skills comes from an economic department (Jinzhou's rule for weak communities).
"""

from __future__ import annotations

#: Department suffix → skills its cadres bring.
DEPARTMENTS: dict[str, tuple[str, ...]] = {
    "委组织部": ("party-building",),
    "委宣传部": ("party-building",),
    "委政法委员会": ("political-legal",),
    "纪委监委": ("political-legal", "law"),
    "发展和改革委员会": ("economy",),
    "财政局": ("finance",),
    "交通运输局": ("transport",),
    "营商环境建设局": ("business-environment",),
    "民政局": ("civil-affairs", "elderly-care"),
    "信访局": ("petitions",),
    "司法局": ("law",),
    "公安局": ("political-legal",),
    "教育局": ("education",),
    "卫生健康委员会": ("health",),
    "人力资源和社会保障局": ("social-work",),
    "住房和城乡建设局": ("urban-planning",),
    "自然资源和规划局": ("urban-planning",),
    "应急管理局": ("emergency",),
    "商务局": ("economy",),
    "审计局": ("economy", "law"),
    "城市管理综合行政执法局": ("urban-planning", "mass-work"),
    "退役军人事务局": ("mass-work",),
    "医疗保障局": ("health",),
    "政务服务数据管理局": ("digital",),
    "农业农村局": ("economy",),
    "科学技术局": ("digital",),
    "总工会": ("mass-work",),
    "妇女联合会": ("mass-work", "social-work"),
}

#: The economic departments (财政、交通、营商) that send part-timers to weak communities.
ECONOMIC: tuple[str, ...] = ("财政局", "交通运输局", "营商环境建设局")
ECONOMIC_SKILLS: tuple[str, ...] = ("finance", "transport", "business-environment")

#: Experience that Datong sends first to weak or conflict-heavy compounds.
GRASSROOTS_SKILLS: tuple[str, ...] = ("party-building", "petitions", "community-work")

#: Skills any cadre may add to those of the unit (never the economic ones).
GENERAL_SKILLS: tuple[str, ...] = (
    "mass-work",
    "community-work",
    "party-building",
    "digital",
    "social-work",
    "law",
    "elderly-care",
    "emergency",
)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
    "许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = (
    "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰飞鹏宇浩然晴雨梦宏光威婷雪琳博文"
    "斌峰欣怡佳琪子轩思远志强建国海燕春红晓东丹阳凯瑞鑫颖慧晨辉"
)

#: Two-character words for community (社区) and compound (小区) names.
PLACE_WORDS = [
    "民族",
    "星雅",
    "龙北",
    "大凌",
    "保安",
    "天安",
    "北街",
    "士英",
    "南街",
    "站前",
    "中央",
    "菊园",
    "松山",
    "凌西",
    "红旗",
    "和平",
    "幸福",
    "光明",
    "新华",
    "胜利",
    "建设",
    "友谊",
    "长青",
    "翠岭",
    "金泰",
    "银河",
    "春晖",
    "锦华",
    "福民",
    "兴盛",
    "安康",
    "文化",
    "学府",
    "铁路",
    "工人",
    "矿山",
    "钢城",
    "湖滨",
    "江畔",
    "桃园",
    "梅园",
    "兰亭",
    "滨河",
    "东风",
    "西苑",
    "南湖",
    "北湖",
    "嘉禾",
    "祥和",
    "瑞丰",
    "宝地",
    "云泰",
    "御河",
    "华严",
    "鼓楼",
    "清远",
    "永泰",
    "泰和",
    "康乐",
    "箭楼",
    "陈家",
    "白马",
    "磁湖",
    "团城",
    "青龙",
    "阳光",
    "丽景",
    "花园",
    "怡景",
    "锦绣",
    "书香",
]
PLACE_MARKS = ("", "东", "西", "南", "北", "新", "一", "二", "三")
COMPOUND_KINDS = ("小区", "花园", "家园", "苑", "新村")
STREET_WORDS = [
    "保安",
    "天安",
    "北街",
    "士英",
    "南街",
    "站前",
    "钟屯",
    "石油",
    "凌安",
    "龙江",
    "榴花",
    "菊园",
    "兴隆",
    "汤河子",
    "百股",
    "新民",
    "花湖",
    "胜阳港",
    "黄石港",
    "澄月",
    "八泉",
    "临江",
    "陈家湾",
    "新下陆",
    "团城山",
    "东岳路",
    "新街",
    "南关",
    "北关",
    "新建",
    "向阳",
    "老平旺",
    "口泉",
    "鼓楼",
    "清远",
    "大观园",
    "杆石桥",
    "四里村",
    "魏家庄",
    "七里山",
    "六里山",
    "舜耕",
]
