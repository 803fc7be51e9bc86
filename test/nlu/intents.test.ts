/**
 * Intent matching through the whole pipeline, table-driven. These are the
 * developers' own phrasings; the evaluation set (test/fixtures/nlu-eval.tsv)
 * is kept apart and only measured, never copied into rules or here.
 */
import { describe, expect, it } from 'vitest';
import { NOW, realNlu } from './helpers.js';

async function intentOf(text: string): Promise<string | null> {
  return (await realNlu()).understand(text, { now: NOW }).intent;
}

const PHRASINGS: Record<string, string[]> = {
  wont_boot: [
    '手机开不了机',
    '我这手机开不开机了',
    '怎么按开机键都没反应',
    '长按电源键也没用，屏幕一直是黑的',
    '手机没电开不了机',
    '刷机之后卡在开机画面进不去',
    '充了一夜电还是无法开机',
    '手机变砖了',
    'phone wont turn on',
    "my phone won't turn on anymore",
    'it is stuck on the logo and keeps rebooting, boot loop',
  ],
  lag: [
    '手机好卡',
    '最近手机特别卡',
    '打开个app都要转半天，反应很慢',
    '玩王者荣耀掉帧严重',
    '手机又死机了',
    '用着用着就卡住不动了',
    '系统更新后变得很卡顿',
    '微信老是闪退',
    "it's so laggy",
    'my phone is really slow',
    'the screen freezes every few minutes',
  ],
  no_network: [
    '没信号',
    '手机显示无服务',
    '信号特别弱，打电话断断续续',
    '开了数据也上不去网',
    '家里的wifi连不上',
    '5G网络用不了',
    'SIM卡识别不到',
    '打不了电话也收不到短信',
    'no signal at all',
    'my mobile data stopped working',
    'wifi keeps disconnecting, no internet',
  ],
  data_loss: [
    '手机里的照片丢了',
    '聊天记录全没了',
    '不小心删了相册里的视频',
    '换机之后通讯录不见了',
    '数据丢失能恢复吗',
    '文件损坏打不开了',
    'i deleted my photos by accident',
    'all my contacts are gone',
  ],
  theft: [
    '手机丢了',
    '我的手机被偷了',
    '手机在公交上被人偷走了',
    '手机找不到了，怎么定位',
    '丢了手机怎么挂失',
    'my phone was stolen',
    'i lost my phone at the airport',
    'someone stole my phone',
  ],
  warranty: [
    '保修期多长',
    '还在保修期内吗',
    '三包怎么算',
    '屏幕碎了换一个多少钱',
    '最近的售后网点在哪',
    '过保了维修收费吗',
    'is the battery covered by warranty',
    'how much to repair the screen',
  ],
  hotline: ['客服电话多少', '移动客服电话', '你们的热线号码是什么', '售后电话是多少啊', 'what is your hotline number'],
  channels: ['怎么联系你们', '有在线客服吗', '除了电话还能怎么找你们', '你们有公众号吗', 'how do i contact you'],
  fee: ['打客服电话收费吗', '打热线要花钱吗', '咨询客服是免费的吗', 'is calling support free'],
  human_agent: ['转人工', '人工客服', '我要找真人', '别让机器人回答了，转接人工服务', 'let me talk to a human'],
  complaint: ['我要投诉', '服务太差了', '你们客服态度太差', '我要去消协举报你们', 'i want to make a complaint'],
  greeting: ['在吗', '你好', '您好', '哈喽，有人吗', 'hello', 'hi'],
  thanks: ['谢谢', '多谢了', '非常感谢', '好的谢谢你', 'thank you', 'thanks!'],
  goodbye: ['拜拜', '没事了', '再见', '好的没别的问题了', 'bye', 'goodbye'],
  affirm: ['是', '是的', '对', '嗯', '好的', '可以', '解决了', '好了', '充了', '试过了', 'yes', 'ok', 'yep'],
  deny: ['不是', '没有', '不行', '还是不行', '没用', '没解决', '没充', '没试过', 'no', 'nope', 'still not working'],
};

describe('intents: many phrasings each', () => {
  const rows = Object.entries(PHRASINGS).flatMap(([intent, texts]) => texts.map((t) => [intent, t] as const));
  it.each(rows)('%s ← %j', async (intent, text) => {
    expect(await intentOf(text)).toBe(intent);
  });
});

describe('hard pairs', () => {
  it.each([
    ['手机丢了', 'theft'],
    ['手机里的照片丢了', 'data_loss'],
    ['手机没电开不了机', 'wont_boot'],
    ['没有', 'deny'],
    ['没有信号', 'no_network'],
    ['打客服电话收费吗', 'fee'],
    ['客服电话多少', 'hotline'],
    ['维修要收费吗', 'warranty'],
    ['换个电池要多少钱', 'warranty'],
    ['收费吗？', 'fee'], // a follow-up on its own
    ['你好，我手机开不了机', 'wont_boot'],
    ['好的，谢谢', 'thanks'],
    ['试过了还是没用', 'deny'],
    ['手机卡了，SIM卡也读不出来', 'no_network'],
    ['还是老样子', 'deny'], // a reply starting with 还是: it still fails
    ['还是算了吧', 'deny'],
    ['还是开不了机', 'wont_boot'], // the problem outranks the answer…
    ['华为还是小米好', null], // …and 还是 mid-sentence is just "or"
    // Something else stolen is no phone theft, unless the phone went with it.
    ['钱包被偷了', null],
    ['电动车被偷了怎么办', null],
    ['my wallet was stolen', null],
    ['钱包和手机一起被偷了', 'theft'],
    ['银行卡和手机都丢了', 'theft'],
    ['包被抢了手机也在里面', 'theft'],
    ['包被抢了，手机还在身上', null], // the phone named in another clause only
    ['my bag got stolen with my phone in it', 'theft'],
    ['someone took my iphone from my bag', 'theft'],
    ['手机没丢，钱包丢了', null],
    // Another device is out of scope too, unless the phone is in it.
    ['电脑开不了机', null],
    ['路由器坏了连不上网', null],
    ['my laptop won\'t turn on', null],
    ['手机和电脑都连不上wifi', 'no_network'],
    ['用手机开热点，电脑连不上', 'no_network'], // 热点 is the phone's own
    ['平板电脑开不了机', 'wont_boot'], // tablets are in scope
  ])('%j → %s', async (text, intent) => {
    expect(await intentOf(text)).toBe(intent);
  });

  it('keeps the answer reading of 「还是开不了机」 as a candidate for the dialog', async () => {
    const r = (await realNlu()).understand('还是开不了机');
    expect(r.candidates.map((c) => c.intent)).toContain('deny');
  });
});

describe('colloquial descriptions', () => {
  it.each([
    ['开机卡在苹果标志不动', 'wont_boot'], // the iPhone's white apple
    ['微信一打开就自己退出', 'lag'], // an app quitting by itself has crashed
    ['微信老是自动退出登录', null], // signing out is an account matter
    ['你们客户端在哪下载', 'channels'],
    ['有没有好用的清理app推荐', null],
    ['换一个客服吧', 'human_agent'],
    ['改天聊', 'goodbye'],
    ['毛病还在', 'deny'],
    ['还在吗', 'greeting'], // …while 「还在」 alone says the problem is
    ['手机放包里，一摸发现没了', 'theft'],
    ['手机不见了，打过去已经关机', 'theft'],
    ['打过去一直没人接', null],
    ['客服热线一直占线', 'complaint'],
    ['照骗全丢了', 'data_loss'], // a same-pinyin slip of 照片
  ])('%j → %s', async (text, intent) => {
    expect(await intentOf(text)).toBe(intent);
  });
});

describe('negation', () => {
  it.each([['不卡了'], ['现在已经不卡顿了'], ['手机没有丢'], ['手机没被偷，是我放错地方了'], ['not laggy anymore'], ['不要转人工']])(
    '%j fires no problem intent',
    async (text) => {
      const intent = await intentOf(text);
      expect(['lag', 'theft', 'human_agent']).not.toContain(intent);
    },
  );

  it('a vetoing phrase silences only its own clause', async () => {
    expect(await intentOf('信号没问题')).toBeNull();
    expect(await intentOf('信号满格，但是网速特别慢')).toBe('no_network');
  });
});

describe('typos, Traditional, English', () => {
  it.each([
    ['我手机卡吨了', 'lag'],
    ['还在保休期吗', 'warranty'],
    ['wify连不上', 'no_network'],
    ['手機開不了機', 'wont_boot'],
    ['沒訊號', 'no_network'],
    ['手機當機了', 'lag'],
    ['我要客訴', 'complaint'],
    ['部手機開唔到機', 'wont_boot'], // Cantonese, as typed in Hong Kong
    ['冇訊號', 'no_network'],
    ['部手機俾人偷咗', 'theft'],
    ['打開個app要等好耐', 'lag'],
    ['保養期過咗未', 'warranty'],
    ['有冇網上客服', 'channels'], // 有冇 asks, as 有没有 does
    ['唔該晒', 'thanks'],
    ['係呀', 'affirm'],
    ['唔係', 'deny'],
    ['沒關係', null], // 係 inside 關係 is no yes
    ["my phone won't turn on", 'wont_boot'],
    ["it's so laggy", 'lag'],
    ['my phone was stolen', 'theft'],
    ['my phone went missing at the station', 'theft'],
    ['the phone keeps rebooting', 'wont_boot'],
    ['video calls are choppy', 'lag'],
    ['my 5g stopped working', 'no_network'],
    ['is 5g bad for your health', null],
    ['can i get my photos back', 'data_loss'],
    ['how do i back up my photos', null],
    ['this service sucks', 'complaint'],
    ['nah still broken', 'deny'],
    ['talk later', 'goodbye'],
  ])('%j → %s', async (text, intent) => {
    expect(await intentOf(text)).toBe(intent);
  });

  it.each([
    ['my phone is so slow', 'en'],
    ['手机开不了机', 'zh'],
    ['我的iPhone15开不了机', 'zh'],
  ])('lang of %j is %s', async (text, lang) => {
    expect((await realNlu()).understand(text).lang).toBe(lang);
  });
});

describe('out of scope and dialog commands', () => {
  it.each([
    ['推荐一款手机'],
    ['手机壳哪个好看'],
    ['帮我查下明天的航班'],
    ['你喜欢看电影吗'],
    ['微信账号被盗了'],
    // The price of a plan, a case or a number is no repair cost nor hotline.
    ['换个套餐要多少钱'],
    ['修改套餐多少钱'],
    ['换个手机号码要多少钱'],
    ['我的手机号码是多少'],
    ['这个app免费吗'], // free of charge, but not our service
    ['被偷拍了怎么办'], // 偷 as in secretly
    ['重新开始'],
    ['返回上一步'],
    ['what is the meaning of life'],
  ])('%j → null', async (text) => {
    expect(await intentOf(text)).toBeNull();
  });
});

describe('result shape', () => {
  it('explains, ranks candidates and names a too-close runner-up', async () => {
    const nlu = await realNlu();
    const r = nlu.understand('手机开不了机，客服电话多少');
    expect(r.candidates.map((c) => c.intent).slice(0, 2).sort()).toEqual(['hotline', 'wont_boot']);
    expect(r.ambiguousWith).not.toBeNull();
    expect(r.explanation.join('\n')).toContain('开不了机');
    const clear = nlu.understand('手机开不了机');
    expect(clear.ambiguousWith).toBeNull();
    expect(clear.confidence).toBeGreaterThan(0.9);
  });

  it('says both when the phone and its data are both gone', async () => {
    const r = (await realNlu()).understand('手机丢了，数据也没了');
    expect([r.intent, r.ambiguousWith].sort()).toEqual(['data_loss', 'theft']);
    expect((await realNlu()).understand('手机里的聊天记录没了').ambiguousWith).toBeNull();
  });

  it('is below the threshold, with a low confidence, when out of scope', async () => {
    const r = (await realNlu()).understand('今天天气真好');
    expect(r.intent).toBeNull();
    expect(r.confidence).toBeLessThan(0.5);
  });
});

describe('rule mechanics that generalise', () => {
  it.each([
    // A short answer strung from one intent's exact answers.
    ['嗯对', 'affirm'],
    ['好的可以', 'affirm'],
    ['不是没有', 'deny'],
    // A synonym inside another synonym's variant: 冇 → 没有, 没有反应 → 没反应.
    ['開機鍵按咗冇反應', 'wont_boot'],
    // Whole pinyin for a domain word.
    ['xinhao很差', 'no_network'],
    ['kai bu liao ji', 'wont_boot'],
    // A Latin phrase is a whole word: 「thx」 does not fire inside another word.
    ['thxxx是什么牌子', null],
    // An opening no or yes, then the explanation.
    ['没有，手机没丢', 'deny'],
    ['不是，不卡', 'deny'],
    // An emoji on its own is an answer; repeated, it is said louder.
    ['🙏🙏', 'thanks'],
    ['👌', 'affirm'],
    ['😂😂😂', null],
    ['手机卡卡卡卡', 'lag'],
  ])('%j → %s', async (text, intent) => {
    expect(await intentOf(text)).toBe(intent);
  });
});
