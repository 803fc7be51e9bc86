import { describe, expect, it } from 'vitest';
import { maskSensitive } from '../../server/conversation/mask.js';

describe('maskSensitive', () => {
  it.each([
    ['我的号码13812345678', '我的号码138****5678'],
    ['号码是 138 1234 5678 谢谢', '号码是 138 **** 5678 谢谢'],
    ['139-1234-5678', '139-****-5678'],
    ['+86 13912345678', '+86 139****5678'],
    ['8613912345678', '86139****5678'],
    ['１３８１２３４５６７８', '１３８****５６７８'],
    ['IMEI: 356938035643809', 'IMEI: 35693803*******'],
    ['两个 13812345678 和 15900001111', '两个 138****5678 和 159****1111'],
  ])('%j → %j', (text, masked) => {
    expect(maskSensitive(text)).toBe(masked);
  });

  it.each([
    '订单号 123456789012',
    '12812345678 is not a mobile number',
    '1381234567 has ten digits',
    '138123456789 has twelve digits',
    '价格 1999 元',
    '',
  ])('leaves %j alone', (text) => {
    expect(maskSensitive(text)).toBe(text);
  });
});
