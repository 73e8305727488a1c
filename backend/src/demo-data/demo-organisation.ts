import type { RequestType } from '../work-orders/work-order.enums';
import type { UnitType } from '../units/unit-type';

/** The demo city 云川市: the hotline center, city bureaus, utilities, three districts with streets and communities. */
export interface DemoUnit {
  code: string;
  name: string;
  type: UnitType;
  children?: DemoUnit[];
}

const street = (code: string, name: string, communities: [string, string]): DemoUnit => ({
  code,
  name,
  type: 'street',
  children: communities.map((c, i) => ({ code: `${code}_${i + 1}`, name: c, type: 'community' as const })),
});

export const DEMO_CENTER: DemoUnit = { code: 'center', name: '云川市12345市民服务热线中心', type: 'center' };

export const DEMO_UNITS: DemoUnit[] = [
  { code: 'cgj', name: '云川市城市管理局', type: 'bureau' },
  { code: 'zjj', name: '云川市住房和城乡建设局', type: 'bureau' },
  { code: 'scjgj', name: '云川市市场监督管理局', type: 'bureau' },
  { code: 'sthjj', name: '云川市生态环境局', type: 'bureau' },
  { code: 'jtysj', name: '云川市交通运输局', type: 'bureau' },
  { code: 'rsj', name: '云川市人力资源和社会保障局', type: 'bureau' },
  { code: 'gaj', name: '云川市公安局', type: 'bureau' },
  { code: 'water', name: '云川水务集团', type: 'utility' },
  { code: 'power', name: '国网云川供电公司', type: 'utility' },
  {
    code: 'dc',
    name: '东城区人民政府',
    type: 'district',
    children: [street('dc_cy', '朝阳街道办事处', ['朝阳路社区', '新华社区']), street('dc_dg', '东关街道办事处', ['东关新村社区', '农贸社区'])],
  },
  {
    code: 'xc',
    name: '西城区人民政府',
    type: 'district',
    children: [street('xc_xh', '西湖街道办事处', ['湖滨社区', '柳岸社区']), street('xc_jq', '金桥街道办事处', ['金桥社区', '银杏社区'])],
  },
  {
    code: 'nh',
    name: '南湖区人民政府',
    type: 'district',
    children: [street('nh_nh', '南湖街道办事处', ['南湖花园社区', '滨江社区']), street('nh_bs', '白沙镇人民政府', ['白沙村', '青石村'])],
  },
];

export interface DemoCategory {
  code: string;
  name: string;
  children?: DemoCategory[];
  /** Leaves: the default lead unit (by code) and request type. */
  lead?: string;
  type?: RequestType;
}

const leaf = (code: string, name: string, lead: string, type: RequestType): DemoCategory => ({ code, name, lead, type });

export const DEMO_CATEGORIES: DemoCategory[] = [
  {
    code: 'C01', name: '城乡建设', children: [
      { code: 'C0101', name: '市政设施', children: [leaf('C010101', '路灯', 'cgj', 'report'), leaf('C010102', '道路破损', 'zjj', 'report'), leaf('C010103', '井盖缺失', 'cgj', 'report')] },
      { code: 'C0102', name: '房屋管理', children: [leaf('C010201', '房屋漏水', 'zjj', 'help'), leaf('C010202', '物业服务', 'zjj', 'complaint'), leaf('C010203', '电梯故障', 'scjgj', 'help')] },
      { code: 'C0103', name: '建筑施工', children: [leaf('C010301', '夜间施工噪音', 'zjj', 'complaint'), leaf('C010302', '工地扬尘', 'sthjj', 'complaint')] },
    ],
  },
  {
    code: 'C02', name: '城市管理', children: [
      { code: 'C0201', name: '市容环卫', children: [leaf('C020101', '占道经营', 'cgj', 'complaint'), leaf('C020102', '垃圾清运', 'cgj', 'complaint'), leaf('C020103', '违法建设', 'cgj', 'report')] },
      { code: 'C0202', name: '园林绿化', children: [leaf('C020201', '树木修剪', 'cgj', 'help'), leaf('C020202', '绿地损毁', 'cgj', 'report')] },
    ],
  },
  {
    code: 'C03', name: '市场监管', children: [
      { code: 'C0301', name: '消费维权', children: [leaf('C030101', '商品质量', 'scjgj', 'complaint'), leaf('C030102', '预付卡退费', 'scjgj', 'complaint')] },
      { code: 'C0302', name: '食品安全', children: [leaf('C030201', '餐饮卫生', 'scjgj', 'report'), leaf('C030202', '无证经营', 'scjgj', 'report')] },
    ],
  },
  {
    code: 'C04', name: '生态环境', children: [
      { code: 'C0401', name: '污染防治', children: [leaf('C040101', '噪声污染', 'sthjj', 'complaint'), leaf('C040102', '油烟污染', 'sthjj', 'complaint'), leaf('C040103', '水体污染', 'sthjj', 'report')] },
    ],
  },
  {
    code: 'C05', name: '交通运输', children: [
      { code: 'C0501', name: '公共交通', children: [leaf('C050101', '公交线路', 'jtysj', 'suggestion'), leaf('C050102', '出租车服务', 'jtysj', 'complaint')] },
      { code: 'C0502', name: '道路交通', children: [leaf('C050201', '交通信号灯', 'gaj', 'report'), leaf('C050202', '违章停车', 'gaj', 'report')] },
    ],
  },
  {
    code: 'C06', name: '劳动保障', children: [
      { code: 'C0601', name: '劳动关系', children: [leaf('C060101', '拖欠工资', 'rsj', 'help'), leaf('C060102', '劳动合同', 'rsj', 'consultation')] },
      { code: 'C0602', name: '社会保险', children: [leaf('C060201', '社保缴纳', 'rsj', 'consultation'), leaf('C060202', '医保报销', 'rsj', 'consultation')] },
    ],
  },
  {
    code: 'C07', name: '公共服务', children: [
      { code: 'C0701', name: '供水', children: [leaf('C070101', '停水', 'water', 'help'), leaf('C070102', '水压不足', 'water', 'help')] },
      { code: 'C0702', name: '供电', children: [leaf('C070201', '停电', 'power', 'help'), leaf('C070202', '电费缴纳', 'power', 'consultation')] },
    ],
  },
  {
    code: 'C08', name: '公安', children: [
      { code: 'C0801', name: '户政管理', children: [leaf('C080101', '居住证办理', 'gaj', 'consultation'), leaf('C080102', '户口迁移', 'gaj', 'consultation')] },
    ],
  },
];

/** The center's staff accounts. */
export const DEMO_CENTER_USERS = [
  { username: 'admin', displayName: '系统管理员', role: 'admin' },
  { username: 'agent1', displayName: '话务员张敏', role: 'agent' },
  { username: 'agent2', displayName: '话务员李娜', role: 'agent' },
  { username: 'dispatcher1', displayName: '派单员王强', role: 'dispatcher' },
  { username: 'reviewer1', displayName: '审核员赵丽', role: 'reviewer' },
  { username: 'callback1', displayName: '回访员陈静', role: 'callback_agent' },
  { username: 'supervisor1', displayName: '督办科刘洋', role: 'supervisor' },
  // 安全审计员: reads the audit trail only (等保 2.0: the administrator cannot read or change it).
  { username: 'auditor1', displayName: '安全审计员孙伟', role: 'auditor' },
] as const;

export const DEMO_PASSWORD = 'Demo@12345';

/** 分机: the demo agents' extensions; their SIP password is the demo password (docs/cti.md "Agents' phones"). */
export const DEMO_AGENT_PHONES = [
  { username: 'agent1', extension: '8001' },
  { username: 'agent2', extension: '8002' },
] as const;

/** Unit accounts are named after the unit code: `<code>_admin` (unit_admin) and `<code>_handler` (handler). */
export const unitUsername = (unitCode: string, role: 'unit_admin' | 'handler') =>
  `${unitCode}_${role === 'unit_admin' ? 'admin' : 'handler'}`;
