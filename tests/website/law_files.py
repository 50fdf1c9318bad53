# ruff: noqa: E501  (law texts keep one article paragraph per line)
"""Law files as 国家法律法规数据库 (flk.npc.gov.cn) offers them for download: Word documents and text files.

The texts follow the official layout: the title, the notes in parentheses or 公布/施行 lines, a table of
contents (目　　录) repeating the headings, headings whose short titles are padded with full-width spaces,
and articles whose number is followed by a full-width space. The article texts are excerpts of real laws.
"""

import io

from docx import Document

# 编/章/节 with a table of contents, multi-paragraph articles, items and 附则; the dates only in the notes
# (the latest revision) and the last article (本法自……起施行).
HERITAGE_LAW = """中华人民共和国文物保护法
（1982年11月19日第五届全国人民代表大会常务委员会第二十五次会议通过　根据1991年6月29日第七届全国人民代表大会常务委员会第二十次会议《关于修改〈中华人民共和国文物保护法〉第三十条、第三十一条的决定》修正　2024年11月8日第十四届全国人民代表大会常务委员会第十二次会议修订）

目　　录

第一章　总　　则
第二章　不可移动文物
　　第一节　一般规定
　　第二节　保护管理
第三章　考古发掘
附　　则

第一章　总　　则

　　第一条　为了加强对文物的保护，传承中华民族优秀历史文化遗产，促进科学研究工作，进行爱国主义和革命传统教育，增强历史自觉、坚定文化自信，建设社会主义文化强国，根据宪法，制定本法。
　　第二条　文物受国家保护。本法所称文物，是指人类创造的或者与人类活动有关的，具有历史、艺术、科学价值的下列物质遗存：
　　（一）古文化遗址、古墓葬、古建筑、石窟寺和古石刻、古壁画；
　　（二）与重大历史事件、革命运动或者著名人物有关的以及具有重要纪念意义、教育意义或者史料价值的近代现代重要史迹、实物、代表性建筑；
　　（三）历史上各时代珍贵的艺术品、工艺美术品。
　　文物认定的主体、标准和程序，由国务院规定并公布。
　　第三条　文物工作坚持中国共产党的领导，坚持以社会主义核心价值观为引领，贯彻保护为主、抢救第一、合理利用、加强管理的工作方针。

第二章　不可移动文物

第一节　一般规定

　　第十三条　国务院文物行政部门在省级、设区的市级、县级文物保护单位中，选择具有重大历史、艺术、科学价值的确定为全国重点文物保护单位，报国务院核定公布。
　　第十四条　省级文物保护单位，由省、自治区、直辖市人民政府核定公布，并报国务院备案。

第二节　保护管理

　　第二十二条　有关地方人民政府应当做好不可移动文物保护工作。
　　县级以上地方人民政府文物行政部门应当会同有关部门加强对不可移动文物的日常巡查。

第三章　考古发掘

　　第三十九条　一切考古发掘工作，都必须履行报批手续；从事考古发掘的单位，应当经国务院文物行政部门批准。

附　　则

　　第一百零一条　本法自2025年3月1日起施行。
"""

# 编, 章 and 节 with 公布/施行 lines as the database's header prints them, and no notes in parentheses.
CIVIL_CODE = """中华人民共和国民法典
2020年5月28日 公布
2021年1月1日 施行
（2020年5月28日第十三届全国人民代表大会第三次会议通过）
目　　录
第一编　总　　则
第一章　基本规定
第二章　自然人
第一节　民事权利能力和民事行为能力
第七编　侵权责任
第一章　一般规定
第一编　总　　则
第一章　基本规定
第一条　为了保护民事主体的合法权益，调整民事关系，维护社会和经济秩序，适应中国特色社会主义发展要求，弘扬社会主义核心价值观，根据宪法，制定本法。
第二条　民法调整平等主体的自然人、法人和非法人组织之间的人身关系和财产关系。
第二章　自然人
第一节　民事权利能力和民事行为能力
第十三条　自然人从出生时起到死亡时止，具有民事权利能力，依法享有民事权利，承担民事义务。
第七编　侵权责任
第一章　一般规定
第一千一百六十四条　本编调整因侵害民事权益产生的民事关系。
第一千一百六十五条　行为人因过错侵害他人民事权益造成损害的，应当承担侵权责任。
依照法律规定推定行为人有过错，其不能证明自己没有过错的，应当承担侵权责任。
"""

# A 条例 without chapters, as many are: articles straight after the notes, in force on promulgation.
REGULATION = """营业性演出管理条例
（2005年7月7日中华人民共和国国务院令第439号公布　根据2008年7月22日《国务院关于修改〈营业性演出管理条例〉的决定》第一次修订　根据2020年11月29日《国务院关于修改和废止部分行政法规的决定》第四次修订）
　　第一条　为了加强对营业性演出的管理，促进文化产业的发展，繁荣社会主义文艺事业，满足人民群众的文化需要，促进社会主义精神文明建设，制定本条例。
　　第二条　本条例所称营业性演出，是指以营利为目的为公众举办的现场文艺表演活动。
　　第三条　营业性演出必须坚持为人民服务、为社会主义服务的方向，把社会效益放在首位、实现社会效益和经济效益的统一，丰富人民群众的文化生活。
　　第四条　国家鼓励文艺表演团体、演员创作和演出思想性艺术性统一、体现民族优秀文化传统、受人民群众欢迎的优秀节目，鼓励到农村、工矿企业演出和为少年儿童提供免费或者优惠的演出。
　　第五条　本条例自公布之日起施行。
"""


# The same regulation in traditional characters, as a Big5 copy from Taiwan or Hong Kong would have it.
REGULATION_TRADITIONAL = """營業性演出管理條例
第一條　為了加強對營業性演出的管理，制定本條例。
第二條　本條例自公布之日起施行。
"""


def law_docx(text: str) -> bytes:
    """A Word document with one paragraph per line, blank paragraphs between blocks as the database's have."""
    document = Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def law_txt(text: str, encoding: str = "utf-8") -> bytes:
    """A text file as downloads come: Windows line endings, UTF-8 (with BOM) or GBK/GB18030."""
    return text.replace("\n", "\r\n").encode(encoding)
