import type { Channel, RequestType, Urgency } from '../work-orders/work-order.enums';

/** Realistic citizen requests of the demo city, used to create the demo work orders. */
export interface DemoRequest {
  category: string;
  title: string;
  content: string;
  address: string;
  district: string;
  street: string;
  citizenName: string;
  citizenPhone: string;
  channel: Channel;
  requestType?: RequestType;
  urgency?: Urgency;
  confidential?: boolean;
}

export const DEMO_REQUESTS: DemoRequest[] = [
  { category: 'C010101', title: '朝阳路路灯连续多晚不亮', content: '市民反映朝阳路18号至26号路段路灯已连续一周晚上不亮，夜间行人和电动车通行存在安全隐患，请求尽快维修。', address: '朝阳街道朝阳路18号至26号', district: 'dc', street: 'dc_cy', citizenName: '董先生', citizenPhone: '18334356856', channel: 'phone' },
  { category: 'C010201', title: '东关新村8栋顶楼漏水', content: '来电人称其家住东关新村8栋顶楼，楼顶防水层老化，一下雨卧室天花板就漏水，墙皮大片脱落。小区没有物业，不知道找谁维修，请求帮助。', address: '东关新村8栋6楼', district: 'dc', street: 'dc_dg', citizenName: '江女士', citizenPhone: '15249151414', channel: 'phone' },
  { category: 'C020101', title: '东关农贸市场门口占道经营', content: '每天早上东关农贸市场门口的东关大街上摆满了流动摊贩，占用机动车道，早高峰严重拥堵，希望城管部门加强管理。', address: '东关大街东关农贸市场门口', district: 'dc', street: 'dc_dg', citizenName: '吕先生', citizenPhone: '18628636265', channel: 'wechat' },
  { category: 'C010301', title: '金桥工地夜间施工扰民', content: '金桥路与银杏街交叉口的在建工地连续多日夜间22点后仍在施工，混凝土泵车噪音很大，附近居民无法休息。', address: '金桥路与银杏街交叉口在建工地', district: 'xc', street: 'xc_jq', citizenName: '孙女士', citizenPhone: '13912345678', channel: 'phone', urgency: 'urgent' },
  { category: 'C040102', title: '湖滨小区楼下餐馆油烟直排', content: '湖滨小区3栋底商的川菜馆油烟未经净化直接排放，油烟直冲楼上住户窗户，夏天无法开窗。', address: '湖滨小区3栋底商', district: 'xc', street: 'xc_xh', citizenName: '周先生', citizenPhone: '13700001111', channel: 'web' },
  { category: 'C070101', title: '南湖花园突然停水', content: '南湖花园小区从今天早上7点开始停水，没有收到任何停水通知，小区有老人和婴儿，生活非常不便，请问何时恢复供水。', address: '南湖花园小区', district: 'nh', street: 'nh_nh', citizenName: '吴女士', citizenPhone: '13655556666', channel: 'phone', urgency: 'urgent' },
  { category: 'C070201', title: '白沙镇青石村频繁停电', content: '青石村近一个月频繁停电，每次持续一两个小时，村里的冷库和养殖场损失较大，希望供电公司排查线路。', address: '白沙镇青石村', district: 'nh', street: 'nh_bs', citizenName: '郑先生', citizenPhone: '13566667777', channel: 'phone' },
  { category: 'C030102', title: '健身房闭店预付卡无法退费', content: '市民在金桥社区一家健身房办理了年卡3800元，现在健身房突然关门，老板联系不上，要求协助退费。', address: '金桥路88号二楼健身房', district: 'xc', street: 'xc_jq', citizenName: '冯女士', citizenPhone: '13811112222', channel: 'app' },
  { category: 'C060101', title: '装修公司拖欠农民工工资', content: '来电人在一家装修公司做工三个月，公司拖欠工资共计2.4万元，多次讨要无果，请求劳动监察部门介入。', address: '南湖街道滨江路66号', district: 'nh', street: 'nh_nh', citizenName: '何先生', citizenPhone: '15900001234', channel: 'phone', confidential: true },
  { category: 'C080101', title: '咨询居住证办理材料', content: '来电人在朝阳路租房居住，没有房产证，房东只能提供租赁合同，咨询能否办理居住证以及需要哪些材料。', address: '朝阳街道朝阳路', district: 'dc', street: 'dc_cy', citizenName: '许先生', citizenPhone: '18800002222', channel: 'phone' },
  { category: 'C050202', title: '新华社区门口长期违停', content: '新华社区正门口常年有车辆违停，堵塞消防通道，救护车曾因此无法进入，请求交警部门加强管理。', address: '新华社区正门', district: 'dc', street: 'dc_cy', citizenName: '韩女士', citizenPhone: '13333334444', channel: 'wechat' },
  { category: 'C020102', title: '柳岸社区垃圾多日未清运', content: '柳岸社区垃圾站的垃圾已经三天没有清运，气味很大，蚊蝇滋生，请尽快清运。', address: '柳岸社区垃圾站', district: 'xc', street: 'xc_xh', citizenName: '杨先生', citizenPhone: '13444445555', channel: 'phone' },
  { category: 'C010203', title: '银杏社区12栋电梯经常故障', content: '银杏社区12栋电梯一个月内坏了四次，上周还有人被困，物业每次只是简单修理，请求监管部门检查。', address: '银杏社区12栋', district: 'xc', street: 'xc_jq', citizenName: '朱女士', citizenPhone: '13522223333', channel: 'phone', urgency: 'urgent' },
  { category: 'C040101', title: '滨江广场舞音响声音过大', content: '每晚滨江广场跳广场舞的音响音量很大，持续到晚上十点，附近居民无法休息。', address: '滨江广场', district: 'nh', street: 'nh_nh', citizenName: '秦先生', citizenPhone: '13677778888', channel: 'web' },
  { category: 'C050101', title: '建议增开金桥至火车站公交', content: '金桥片区居民去火车站需要换乘两次，建议增开一条金桥至火车站的直达公交线路。', address: '金桥街道', district: 'xc', street: 'xc_jq', citizenName: '尤先生', citizenPhone: '13788889999', channel: 'email', requestType: 'suggestion' },
  { category: 'C030201', title: '农贸社区小吃店卫生差', content: '农贸社区一家早点铺后厨卫生很差，有老鼠出没，员工不戴口罩手套，担心食品安全。', address: '农贸社区东关大街12号', district: 'dc', street: 'dc_dg', citizenName: '许女士', citizenPhone: '13899990000', channel: 'app' },
  { category: 'C010102', title: '西湖路人行道塌陷', content: '西湖路与湖滨街交叉口往北50米人行道出现约一米见方的塌陷，已有行人摔倒，请求尽快修复并设置警示。', address: '西湖路与湖滨街交叉口北50米', district: 'xc', street: 'xc_xh', citizenName: '施先生', citizenPhone: '13900112233', channel: 'phone', urgency: 'urgent' },
  { category: 'C020201', title: '白沙村道路两侧树枝遮挡视线', content: '白沙村村道两侧树枝过长，遮挡了转弯处视线，多次发生电动车剐蹭，请求修剪。', address: '白沙镇白沙村村道', district: 'nh', street: 'nh_bs', citizenName: '张先生', citizenPhone: '13911223344', channel: 'phone' },
  { category: 'C060201', title: '咨询灵活就业人员社保缴纳', content: '来电人是灵活就业人员，咨询在本市缴纳职工养老保险的条件、缴费基数以及办理渠道。', address: '南湖街道', district: 'nh', street: 'nh_nh', citizenName: '孔女士', citizenPhone: '13922334455', channel: 'phone' },
  { category: 'C020103', title: '湖滨社区楼顶违建', content: '湖滨社区5栋顶楼住户在楼顶搭建彩钢房，影响楼体安全和其他住户使用天台，请求查处。', address: '湖滨社区5栋楼顶', district: 'xc', street: 'xc_xh', citizenName: '曹先生', citizenPhone: '13933445566', channel: 'phone', confidential: true },
  { category: 'C070102', title: '朝阳路社区高层水压不足', content: '朝阳路社区15栋高层住户反映每天早晚用水高峰时段水压不足，热水器无法启动。', address: '朝阳路社区15栋', district: 'dc', street: 'dc_cy', citizenName: '严女士', citizenPhone: '13944556677', channel: 'wechat' },
  { category: 'C050102', title: '出租车拒载', content: '市民在火车站出租车候客区被出租车司机拒载，称路程太近，车牌号云A·T1234，要求处理。', address: '云川火车站出租车候客区', district: 'dc', street: 'dc_dg', citizenName: '华先生', citizenPhone: '13955667788', channel: 'phone' },
  { category: 'C010202', title: '金桥社区物业不作为', content: '金桥社区物业对小区内乱停车、垃圾堆放等问题长期不管理，业主多次反映无果。', address: '金桥社区', district: 'xc', street: 'xc_jq', citizenName: '金女士', citizenPhone: '13966778899', channel: 'web' },
  { category: 'C040103', title: '青石村河道发黑发臭', content: '青石村旁边的小河近期河水发黑发臭，疑似上游有企业偷排污水，请求环保部门调查。', address: '白沙镇青石村村南小河', district: 'nh', street: 'nh_bs', citizenName: '魏先生', citizenPhone: '13977889900', channel: 'phone', requestType: 'report' },
  { category: 'C070202', title: '咨询电费缴纳方式', content: '来电人家中老人不会使用手机缴费，咨询还有哪些线下缴纳电费的渠道。', address: '南湖花园社区', district: 'nh', street: 'nh_nh', citizenName: '陶女士', citizenPhone: '13988990011', channel: 'phone' },
];
