import { houseNumbers, placeBigrams, placeFragments, siteNames } from './address-normaliser';

describe('address normaliser', () => {
  it('keeps the place names and drops numbers, positions and distances', () => {
    expect(placeFragments('东关新村8栋6楼')).toEqual(['东关新村']);
    expect(placeFragments('东关大街东关新村8栋602')).toEqual(['东关大街东关新村']);
    expect(placeFragments('幸福路和建设街交叉口往北50米')).toEqual(['幸福路和建设街']);
    expect(placeFragments('朝阳路56号对面公交站旁')).toEqual(['朝阳路', '公交站']);
    expect(placeFragments('桂花农贸市场大门口')).toEqual(['桂花农贸市场']);
  });

  it('removes the province and city an address starts with, but not a market', () => {
    expect(placeFragments('云川市东城区东关街道东关新村5号楼', ['东城区', '东关街道'])).toEqual(['东关新村']);
    expect(placeFragments('广东省深圳市南山区科技园')).toEqual(['南山区科技园']);
    expect(placeFragments('东关菜市场外面')).toEqual(['东关菜市场']);
  });

  it('removes the district and street office names every order of the street shares', () => {
    expect(placeFragments('朝阳街道朝阳路', ['东城区', '朝阳街道'])).toEqual(['朝阳路']);
    expect(placeFragments('东城区朝阳街道', ['东城区', '朝阳街道'])).toEqual([]);
  });

  it('words one place alike however callers give the address', () => {
    const a = placeBigrams('东关新村8栋顶楼');
    const b = placeBigrams('东关大街东关新村8栋602');
    expect([...a].every((bigram) => b.has(bigram))).toBe(true);
  });

  it('reads house, building, unit and room numbers, Chinese numerals included, and leaves floors and distances out', () => {
    expect(houseNumbers('翠屏山庄3栋2单元，8楼，往北50米')).toEqual({ 栋: ['3'], 单元: ['2'] });
    expect(houseNumbers('幸福路12号')).toEqual({ 号: ['12'] });
    expect(houseNumbers('三号楼十二室')).toEqual({ 栋: ['3'], 室: ['12'] });
  });

  it('tells the site on a road from the road itself', () => {
    expect(siteNames('南湖大道南山印象')).toEqual(['南山印象']);
    expect(siteNames('南湖大道南湖春天')).toEqual(['南湖春天']);
    expect(siteNames('幸福路12号')).toEqual([]);
    expect(siteNames('东关菜市场外面')).toEqual(['东关菜市场']);
  });
});
