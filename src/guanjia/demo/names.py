"""Name lists for the synthetic demo county. Every person name is drawn from these parts at random;
place names are made up (the county, its streets and the detailed community do not exist)."""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# GB/T 2260-style codes that are not in use, so the demo can never be mistaken for a real place.
CITY = ("晋川市", "149900")
COUNTY = ("阳川县", "149921")
# (street name, 3-digit street code, communities in it). The first community of 长兴街道 is the
# one built in full detail, after the 包片 story of seed 003.
STREETS = (
    ("城关街道", "001", ("城东社区", "北关社区", "南关社区")),
    ("文昌街道", "002", ("文昌社区", "府前社区", "新建路社区")),
    ("长兴街道", "003", ("兴华路社区", "滨河社区")),
    ("河西街道", "004", ("河西社区", "城西社区")),
)
DETAIL_COMMUNITY = "兴华路社区"
# Where ID numbers of people born in the county start; a few come from neighbouring (also unused) codes.
ID_AREA_CODES = ("149921", "149921", "149921", "149921", "149902", "149903", "149981")

# Mainland mobile number blocks (1[3-9]x); the other 8 digits are random.
PHONE_PREFIXES = _words(
    "130 131 132 133 135 136 137 138 139 150 151 152 155 156 157 158 159 166 173 177 180 181 182 183"
    " 185 186 187 188 189 191 198 199"
)

# Surnames with rough weights (more common first), given-name characters by usual gender.
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
    "顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文温牛岳霍"
)
SURNAME_WEIGHTS = tuple(max(1, 40 - i) for i in range(len(SURNAMES)))
GIVEN_MALE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林峰建国志文海亮东晨博阳睿泽轩宏成振德"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀玲桂英燕萍红梅琳雪倩婷颖慧丹洁佳琪欣悦薇璐蕾瑶怡晶月莉兰凤琴素云"

# Other compounds of the county: "<prefix><suffix>" or an old work-unit dormitory "<unit><kind>".
COMPOUND_PREFIXES = _words(
    "阳光 锦绣 和平 幸福 康乐 丽景 金泉 银河 福馨 瑞祥 嘉禾 安居 惠丰 兴隆 汇丰 华庭 东方 泰和"
    " 明珠 新城 晨光 绿洲 凤鸣 怡景 盛世 紫荆 秀水 青年 朝阳 富康 玉泉 丰泽 永安 广厦 清河 文苑"
)
COMPOUND_SUFFIXES = ("小区", "花园", "家园", "苑", "新村", "公寓", "佳苑", "名居", "雅居")
WORK_UNITS = _words(
    "供电 粮食局 邮政 税务 电信 农机 医药 教育 水利 交通 气象 林业 供销社 物资局 建筑公司"
    " 商业局 文化馆 卫生院 化肥厂 水泥厂 棉麻公司 石油公司 烟草 工商 法院 农业银行 建设银行"
    " 人民医院 第一中学 印刷厂"
)
WORK_UNIT_KINDS = ("宿舍", "家属院", "宿舍楼")
ROADS = ("迎宾路", "文昌街", "府前街", "兴华路", "长兴路", "滨河路", "建设路", "解放路", "东关街", "西环路")

# The community built in full detail: 13 compounds, 7,119 households (seed 003), hardest first.
# (name, households, mode, built year, grids of its own, building layout: floors, entrances, flats/floor)
DETAIL_COMPOUNDS = (
    ("兴华苑", 1236, "professional", 1998, 3, (6, 3, 2)),
    ("锦华园", 968, "professional", 2013, 2, (18, 2, 4)),
    ("长兴花园", 842, "professional", 2006, 2, (11, 2, 3)),
    ("汾水家园", 730, "fallback", 2001, 2, (7, 3, 2)),
    ("阳光新村", 655, "professional", 2003, 2, (6, 4, 2)),
    ("翠竹苑", 588, "professional", 2009, 1, (16, 2, 3)),
    ("机械厂宿舍", 512, "fallback", 1988, 1, (5, 3, 2)),
    ("建设小区", 446, "self_governed", 1996, 1, (6, 3, 2)),
    ("电力宿舍", 380, "fallback", 1992, 0, (6, 2, 2)),
    ("纺织厂家属院", 296, "fallback", 1985, 0, (5, 2, 2)),
    ("惠民小区", 218, "self_governed", 1999, 1, (6, 2, 2)),
    ("粮站宿舍", 152, "unmanaged", 1983, 0, (4, 2, 2)),
    ("邮电宿舍", 96, "fallback", 1990, 0, (5, 2, 2)),
)
# Small compounds that share one grid (a grid may span several small compounds): indexes above.
SHARED_GRIDS = ((8, 12), (9, 11))
# Detailed compounds that were long professional before this year (newer, developer-hired property).
LONG_PROFESSIONAL = ("锦华园", "长兴花园")

# The community's staff (社区两委 9 + 社工 2): titles, and which compounds each one 包片s (indexes).
STAFF_TITLES = (
    "党委书记、居委会主任",
    "党委副书记",
    "居委会副主任",
    "两委委员",
    "两委委员",
    "两委委员",
    "两委委员",
    "两委委员",
    "两委委员",
    "社工",
    "社工",
)
CADRE_COMPOUNDS = ((0,), (1,), (2,), (3,), (4,), (5,), (6,), (7, 12), (8, 11), (9, 10))

PROPERTY_COMPANIES = (
    "晋川安居物业服务有限公司",
    "锦华物业管理有限公司",
    "长兴恒信物业服务有限公司",
    "汾川宜家物业服务有限公司",
)
FALLBACK_COMPANY = "阳川县全域物业管理有限公司"
DEVELOPER = "晋川锦华置业有限公司"
WORK_UNIT_OWNER = "阳川县机械厂"

CN_NUMERALS = "零一二三四五六七八九十"


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (enough for grid names)."""
    if n <= 10:
        return CN_NUMERALS[n]
    tens, ones = divmod(n, 10)
    return (CN_NUMERALS[tens] if tens > 1 else "") + "十" + (CN_NUMERALS[ones] if ones else "")
