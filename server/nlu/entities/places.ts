/**
 * Places in mainland China named in a message: the 34 provincial-level
 * divisions and the major cities (capitals, sub-provincial and other large
 * cities), each with its province, so an outage in 广东 also covers a user in
 * 深圳. Self-contained: a small data list and a longest-match scan, no
 * segmenter (「我在广州天河」 finds 广州 whatever the segmenter says).
 */

export interface Place {
  /** The name as shown: 「广东」「深圳」. */
  name: string;
  /** The province-level division: the place itself for a province or municipality. */
  province: string;
  kind: 'province' | 'city';
}

/** Province-level divisions, short name → the spellings users write. */
const PROVINCES: Record<string, string[]> = {
  北京: ['北京市', '北京'],
  天津: ['天津市', '天津'],
  上海: ['上海市', '上海'],
  重庆: ['重庆市', '重庆'],
  河北: ['河北省', '河北'],
  山西: ['山西省', '山西'],
  辽宁: ['辽宁省', '辽宁'],
  吉林: ['吉林省'],
  黑龙江: ['黑龙江省', '黑龙江'],
  江苏: ['江苏省', '江苏'],
  浙江: ['浙江省', '浙江'],
  安徽: ['安徽省', '安徽'],
  福建: ['福建省', '福建'],
  江西: ['江西省', '江西'],
  山东: ['山东省', '山东'],
  河南: ['河南省', '河南'],
  湖北: ['湖北省', '湖北'],
  湖南: ['湖南省', '湖南'],
  广东: ['广东省', '广东'],
  海南: ['海南省', '海南'],
  四川: ['四川省', '四川'],
  贵州: ['贵州省', '贵州'],
  云南: ['云南省', '云南'],
  陕西: ['陕西省', '陕西'],
  甘肃: ['甘肃省', '甘肃'],
  青海: ['青海省', '青海'],
  台湾: ['台湾省', '台湾'],
  内蒙古: ['内蒙古自治区', '内蒙古'],
  广西: ['广西壮族自治区', '广西'],
  西藏: ['西藏自治区', '西藏'],
  宁夏: ['宁夏回族自治区', '宁夏'],
  新疆: ['新疆维吾尔自治区', '新疆'],
  香港: ['香港特别行政区', '香港'],
  澳门: ['澳门特别行政区', '澳门'],
};

/** Major cities by province. 吉林 the city shares its name with the province: the bare word is read as the province. */
const CITIES: Record<string, string[]> = {
  河北: ['石家庄', '唐山', '保定', '邯郸', '廊坊', '秦皇岛'],
  山西: ['太原', '大同'],
  辽宁: ['沈阳', '大连', '鞍山'],
  吉林: ['长春', '吉林市'],
  黑龙江: ['哈尔滨', '大庆', '齐齐哈尔'],
  江苏: ['南京', '苏州', '无锡', '常州', '南通', '徐州', '扬州'],
  浙江: ['杭州', '宁波', '温州', '绍兴', '嘉兴', '金华', '台州'],
  安徽: ['合肥', '芜湖'],
  福建: ['福州', '厦门', '泉州'],
  江西: ['南昌', '赣州'],
  山东: ['济南', '青岛', '烟台', '潍坊', '临沂'],
  河南: ['郑州', '洛阳'],
  湖北: ['武汉', '宜昌', '襄阳'],
  湖南: ['长沙', '株洲'],
  广东: ['广州', '深圳', '东莞', '佛山', '珠海', '中山', '惠州', '汕头'],
  海南: ['海口', '三亚'],
  四川: ['成都', '绵阳'],
  贵州: ['贵阳', '遵义'],
  云南: ['昆明', '大理'],
  陕西: ['西安', '咸阳'],
  甘肃: ['兰州'],
  青海: ['西宁'],
  内蒙古: ['呼和浩特', '包头'],
  广西: ['南宁', '桂林', '柳州'],
  西藏: ['拉萨'],
  宁夏: ['银川'],
  新疆: ['乌鲁木齐'],
  台湾: ['台北'],
};

const SPELLINGS: [spelling: string, place: Place][] = [
  ...Object.entries(PROVINCES).flatMap(([province, spellings]) => spellings.map((s): [string, Place] => [s, { name: province, province, kind: 'province' }])),
  ...Object.entries(CITIES).flatMap(([province, cities]) =>
    cities.flatMap((city): [string, Place][] => {
      const name = city.replace(/市$/, '');
      return [`${name}市`, city].filter((s, i, all) => all.indexOf(s) === i).map((s): [string, Place] => [s, { name, province, kind: 'city' }]);
    }),
  ),
].sort((a, b) => b[0].length - a[0].length);

/** Every province name, for forms that pick one. */
export const PROVINCE_NAMES: readonly string[] = Object.keys(PROVINCES);

/** The places named in `text`, in order, the longest spelling first where two overlap (「吉林市」 over 「吉林」). */
export function findPlaces(text: string): Place[] {
  const found: { at: number; place: Place }[] = [];
  const taken = new Array<boolean>(text.length).fill(false);
  for (const [spelling, place] of SPELLINGS) {
    for (let at = text.indexOf(spelling); at >= 0; at = text.indexOf(spelling, at + 1)) {
      if (taken.slice(at, at + spelling.length).some(Boolean)) continue;
      for (let i = at; i < at + spelling.length; i++) taken[i] = true;
      found.push({ at, place });
    }
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.place);
}

/** The first place named, or null. */
export function findPlace(text: string): Place | null {
  return findPlaces(text)[0] ?? null;
}
