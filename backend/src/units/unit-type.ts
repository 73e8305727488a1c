/** The kinds of unit in the tree. `center` is the 12345 hotline center itself (市民热线服务中心). */
export const UNIT_TYPES = ['center', 'district', 'bureau', 'street', 'community', 'grid', 'utility'] as const;
export type UnitType = (typeof UNIT_TYPES)[number];
