from __future__ import annotations

from transforms.divisions import gazetteer


def test_gazetteer_tells_prefecture_cities_from_county_level_cities():
    gaz = gazetteer()
    assert [d.level for d in gaz.lookup("广元市")] == ["prefecture"]
    assert [d.level for d in gaz.lookup("句容市")] == ["county"]
    assert gaz.lookup("重庆市")[0].is_city and gaz.lookup("大理白族自治州")[0].is_city


def test_a_county_knows_its_city_including_a_municipality():
    gaz = gazetteer()
    assert gaz.lookup("广元市")[0].is_parent_of(gaz.lookup("昭化区")[0])
    assert gaz.lookup("重庆市")[0].is_parent_of(gaz.lookup("城口县")[0])
    assert not gaz.lookup("台州市")[0].is_parent_of(gaz.lookup("昭化区")[0])
    assert any(gaz.lookup("枣庄市")[0].is_parent_of(d) for d in gaz.lookup("市中区"))


def test_names_are_cut_out_of_running_text_longest_first():
    gaz = gazetteer()
    assert gaz.prefix("广元市昭化区昭化镇") == "广元市"
    assert [name for _, name in gaz.finditer("按照黔东南苗族侗族自治州、雷山县的部署")] == ["黔东南苗族侗族自治州", "雷山县"]


def test_finditer_finds_what_the_longest_first_alternation_finds():
    """finditer scans from the places a name can end (fast); it must agree with the plain regex."""
    import random

    gaz = gazetteer()
    rng = random.Random(5)
    pieces = list(gaz.by_name) + ["镇", "乡", "，", "人民政府", "省", "市", "县", "区", "按照"]
    texts = ["".join(rng.choice(pieces)[rng.randint(0, 1):] for _ in range(30)) for _ in range(300)]
    texts.append("广元市昭化区昭化镇人民政府关于按照黔东南苗族侗族自治州、雷山县的部署")
    for text in texts:
        assert list(gaz.finditer(text)) == [(m.start(), m.group()) for m in gaz.pattern.finditer(text)]


def test_a_county_renamed_a_city_or_district_is_found_under_its_new_name():
    gaz = gazetteer()
    [shehong] = gaz.lookup("射洪市")             # 射洪县 became a county-level city in 2019
    assert shehong.level == "county" and gaz.lookup("遂宁市")[0].is_parent_of(shehong)
    assert [name for _, name in gaz.finditer("按照遂宁市、射洪市的部署")] == ["遂宁市", "射洪市"]
    assert [d.level for d in gaz.lookup("吉安市")] == ["prefecture"]  # an existing name is never shadowed
    assert gaz.lookup("景宁畲族自治市") == ()                          # autonomous counties are not renamed
