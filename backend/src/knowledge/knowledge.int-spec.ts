import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditEvent } from '../audit/audit-event.entity';
import { OpenApiConformance, type OpenApiDocument } from '../testing/openapi-conformance';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { DEMO_ARTICLES } from './demo-articles';
import { KnowledgeTerm } from './knowledge-term.entity';

interface CategoryNode {
  id: number;
  code: string;
  children: CategoryNode[];
}

interface Summary {
  id: number;
  title: string;
  status: string;
  snippet: string;
  categoryPath: string | null;
}

const DAY = 24 * 60 * 60_000;

describe.each(enginesUnderTest())('knowledge base API (%s)', (engine) => {
  let t: TestApp;
  let api: OpenApiConformance;
  let dataSource: DataSource;
  const categories = new Map<string, number>();

  const conforms = (path: string, method: string, response: request.Response) => expect(api.problemsOf(path, method, response)).toEqual([]);
  const auth = async (username: string) => `Bearer ${await t.token(username)}`;
  const list = (query: string, username = 'agent1') => t.get(username, `/api/knowledge${query ? `?${query}` : ''}`);
  const search = (q: string, extra = '', username = 'agent1') => list(`q=${encodeURIComponent(q)}&pageSize=100${extra}`, username);
  const titles = (response: request.Response) => (response.body.items as Summary[]).map((item) => item.title);
  const create = async (body: object, username = 'supervisor1') => request(t.server).post('/api/knowledge').set('Authorization', await auth(username)).send(body);
  const patch = async (id: number | string, body: object, username = 'supervisor1') =>
    request(t.server).patch(`/api/knowledge/${id}`).set('Authorization', await auth(username)).send(body);
  const archive = async (id: number | string, username = 'supervisor1') => request(t.server).delete(`/api/knowledge/${id}`).set('Authorization', await auth(username));
  const published = async (body: object) => {
    const response = await create({ status: 'published', ...body });
    expect(response.status).toBe(201);
    return response.body as { id: number; version: number; title: string };
  };
  /** Writes the article at a given time, so the "newest" tie-break is certain. */
  const publishedAt = async (at: Date, body: object) => {
    t.clock.set(at);
    try {
      return await published(body);
    } finally {
      t.clock.set(null);
    }
  };

  beforeAll(async () => {
    t = await startTestApp(engine);
    api = new OpenApiConformance((await request(t.server).get('/api/docs-json')).body as OpenApiDocument);
    dataSource = t.app.get(DataSource);
    const walk = (nodes: CategoryNode[]) => nodes.forEach((node) => (categories.set(node.code, node.id), walk(node.children)));
    walk((await t.get('admin', '/api/categories')).body as CategoryNode[]);
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('the demo knowledge base', () => {
    const publishedDemo = DEMO_ARTICLES.filter((a) => a.status === 'published');

    it('shows readers the published articles only, the most recently updated first', async () => {
      const response = await list('pageSize=100');
      expect(response.status).toBe(200);
      conforms('/api/knowledge', 'get', response);
      expect(response.body.total).toBe(publishedDemo.length);
      const byAge = [...publishedDemo].sort((a, b) => a.daysAgo - b.daysAgo).map((a) => a.title);
      expect(titles(response)).toEqual(byAge);
      expect((response.body.items as Summary[]).every((item) => item.status === 'published')).toBe(true);
    });

    it('shows editors drafts too, and archived articles when they ask', async () => {
      const all = await list('pageSize=100', 'supervisor1');
      expect(all.body.total).toBe(publishedDemo.length + 1);
      expect(titles(all)).toContain('2027 年元旦假期热线服务安排（草稿）');
      const archived = await list('status=archived', 'admin');
      expect(titles(archived)).toEqual(['2025—2026 年度供暖时间（已过期）']);
      const drafts = await list('status=draft', 'supervisor1');
      expect(titles(drafts)).toEqual(['2027 年元旦假期热线服务安排（草稿）']);
    });

    it('is for every role but the auditor; readers may not ask for drafts or archived articles', async () => {
      expect((await list('', 'dc_handler')).status).toBe(200);
      expect((await list('', 'cgj_admin')).status).toBe(200);
      expect((await list('', 'auditor1')).status).toBe(403);
      expect((await request(t.server).get('/api/knowledge')).status).toBe(401);
      const drafts = await list('status=draft', 'dc_handler');
      expect(drafts.status).toBe(403);
      expect(drafts.body.message).toMatch(/Only editors/);
      conforms('/api/knowledge', 'get', drafts);
    });
  });

  describe('writing', () => {
    it('creates, publishes, archives and restores an article, with a version for every change and an audit row for each', async () => {
      const created = await create({ title: '  电动自行车充电桩安装咨询  ', body: '小区内安装电动自行车充电桩，请联系物业。', categoryId: categories.get('C0102'), tags: [' 充电桩 ', '电动车', '充电桩'] });
      expect(created.status).toBe(201);
      conforms('/api/knowledge', 'post', created);
      expect(created.body).toMatchObject({
        title: '电动自行车充电桩安装咨询',
        status: 'draft',
        version: 1,
        tags: ['充电桩', '电动车'],
        categoryId: categories.get('C0102'),
        categoryPath: '城乡建设/房屋管理',
        createdByName: '督办科刘洋',
        updatedByName: '督办科刘洋',
      });
      const id = created.body.id as number;

      // A draft is the editors' own: a reader gets 404, and no search finds it.
      expect((await t.get('agent1', `/api/knowledge/${id}`)).status).toBe(404);
      expect((await search('充电桩')).body.total).toBe(0);
      expect((await search('充电桩', '', 'supervisor1')).body.total).toBe(1);

      const publishedNow = await patch(id, { version: 1, status: 'published' }, 'admin');
      expect(publishedNow.status).toBe(200);
      conforms('/api/knowledge/{id}', 'patch', publishedNow);
      expect(publishedNow.body).toMatchObject({ status: 'published', version: 2, updatedByName: '系统管理员', createdByName: '督办科刘洋' });
      const read = await t.get('agent1', `/api/knowledge/${id}`);
      expect(read.status).toBe(200);
      conforms('/api/knowledge/{id}', 'get', read);
      expect(read.body.body).toBe('小区内安装电动自行车充电桩，请联系物业。');
      expect(titles(await search('充电桩'))).toEqual(['电动自行车充电桩安装咨询']);

      const archived = await archive(id);
      expect(archived.status).toBe(204);
      expect((await archive(id)).status).toBe(204);
      expect((await t.get('agent1', `/api/knowledge/${id}`)).status).toBe(404);
      expect((await search('充电桩')).body.total).toBe(0);
      const kept = await t.get('supervisor1', `/api/knowledge/${id}`);
      expect(kept.body).toMatchObject({ status: 'archived', version: 3, body: '小区内安装电动自行车充电桩，请联系物业。' });

      const restored = await patch(id, { version: 3, status: 'published' });
      expect(restored.body).toMatchObject({ status: 'published', version: 4 });
      expect((await search('充电桩')).body.total).toBe(1);

      const audit = await dataSource.getRepository(AuditEvent).find({ where: { targetType: 'knowledge_article', targetId: String(id) }, order: { id: 'ASC' } });
      expect(audit.map((row) => row.action)).toEqual(['knowledge.article.create', 'knowledge.article.update', 'knowledge.article.archive', 'knowledge.article.update']);
      expect(audit.map((row) => row.actorName)).toEqual(['督办科刘洋', '系统管理员', '督办科刘洋', '督办科刘洋']);
      const details = JSON.parse(audit[1].details);
      expect(details.before).toMatchObject({ status: 'draft', version: 1, bodyLength: 20 });
      expect(details.after).toMatchObject({ status: 'published', version: 2, bodySha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    });

    it('answers 409 with the current version for a stale change, also when two editors save at once', async () => {
      const article = await published({ title: '并发编辑测试', body: '第一版' });
      const first = await patch(article.id, { version: 1, body: '第二版' });
      expect(first.body.version).toBe(2);
      const stale = await patch(article.id, { version: 1, body: '另一人的第二版' });
      expect(stale.status).toBe(409);
      conforms('/api/knowledge/{id}', 'patch', stale);
      expect(stale.body.message).toMatch(/changed by someone else/);
      expect(stale.body.details).toEqual({ currentVersion: 2, status: 'published' });

      const racing = await Promise.all([patch(article.id, { version: 2, body: '甲的第三版' }), patch(article.id, { version: 2, body: '乙的第三版' }, 'admin')]);
      expect(racing.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = racing.find((r) => r.status === 200)!;
      const now = await t.get('agent1', `/api/knowledge/${article.id}`);
      expect(now.body).toMatchObject({ version: 3, body: winner.body.body });
    });

    it('keeps the search index in step with the text', async () => {
      const article = await published({ title: '旧标题琥珀', body: '正文提到蜻蜓' });
      expect(titles(await search('琥珀'))).toEqual(['旧标题琥珀']);
      await patch(article.id, { version: 1, title: '新标题翡翠', body: '正文改为蝴蝶', tags: ['玛瑙'] });
      expect((await search('琥珀')).body.total).toBe(0);
      expect((await search('蜻蜓')).body.total).toBe(0);
      expect(titles(await search('翡翠'))).toEqual(['新标题翡翠']);
      expect(titles(await search('蝴蝶'))).toEqual(['新标题翡翠']);
      expect(titles(await search('玛瑙'))).toEqual(['新标题翡翠']);
      const rows = await dataSource.getRepository(KnowledgeTerm).find({ where: { articleId: article.id } });
      expect(rows.map((row) => row.term).sort()).toEqual(['翠', '翡翠', '标题', '新标', '题翡', '改为', '文改', '正文', '为蝴', '蝴蝶', '蝶', '玛瑙', '瑙'].sort());
    });

    it.each([
      ['no title', { body: '正文' }, /title must be text/],
      ['a blank title', { title: '   ', body: '正文' }, /title must not be blank/],
      ['a title of 201 characters', { title: '标'.repeat(201), body: '正文' }, /title must be at most 200 characters/],
      ['no body', { title: '标题' }, /body must be text/],
      ['a body of 20,001 characters', { title: '标题', body: '字'.repeat(20_001) }, /body must be at most 20000 characters/],
      ['a body of 17,000 emoji (68,000 bytes)', { title: '标题', body: '😀'.repeat(17_000) }, /at most 65535 bytes/],
      ['eleven tags', { title: '标题', body: '正文', tags: Array.from({ length: 11 }, (_, i) => `标签${i}`) }, /at most 10 entries/],
      ['a tag of 21 characters', { title: '标题', body: '正文', tags: ['签'.repeat(21)] }, /each tag must be at most 20 characters/],
      ['an empty tag', { title: '标题', body: '正文', tags: ['  '] }, /a tag must not be empty/],
      ['tags that are not a list', { title: '标题', body: '正文', tags: '公积金' }, /tags must be a list/],
      ['an archived status', { title: '标题', body: '正文', status: 'archived' }, /status must be one of draft, published/],
      ['a category id that is text', { title: '标题', body: '正文', categoryId: '3' }, /categoryId must be a whole number/],
      ['an unknown field', { title: '标题', body: '正文', version: 3 }, /property version should not exist/],
    ])('refuses %s with 400 and says why', async (_case, body, message) => {
      const response = await create(body);
      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(message);
      conforms('/api/knowledge', 'post', response);
    });

    it('accepts a body of exactly 20,000 characters', async () => {
      const response = await create({ title: '长正文', body: '字'.repeat(20_000) });
      expect(response.status).toBe(201);
      expect([...response.body.body].length).toBe(20_000);
    });

    it('answers 422 for a category that does not exist or is no longer in use', async () => {
      const missing = await create({ title: '标题', body: '正文', categoryId: 999_999 });
      expect(missing.status).toBe(422);
      expect(missing.body.message).toBe('Category 999999 does not exist');
      conforms('/api/knowledge', 'post', missing);
      const inactive = await request(t.server).post('/api/categories').set('Authorization', await auth('admin')).send({ code: 'KB_OLD', name: '旧分类' });
      await request(t.server).patch(`/api/categories/${inactive.body.id}`).set('Authorization', await auth('admin')).send({ active: false });
      const refused = await create({ title: '标题', body: '正文', categoryId: inactive.body.id });
      expect(refused.status).toBe(422);
      expect(refused.body.message).toMatch(/no longer in use/);
    });

    it('answers 400 for a change without version or without anything to change', async () => {
      const article = await published({ title: '校验测试', body: '正文' });
      const noVersion = await patch(article.id, { title: '新标题' });
      expect(noVersion.status).toBe(400);
      expect(noVersion.body.message).toMatch(/version must be a whole number/);
      const nothing = await patch(article.id, { version: 1 });
      expect(nothing.status).toBe(400);
      expect(nothing.body.message).toMatch(/at least one of title, body, categoryId, tags, status/);
      const nullTitle = await patch(article.id, { version: 1, title: null });
      expect(nullTitle.status).toBe(400);
      expect(nullTitle.body.message).toMatch(/title must be text/);
      // null clears the category, [] the tags.
      const cleared = await patch(article.id, { version: 1, categoryId: null, tags: [] });
      expect(cleared.body).toMatchObject({ categoryId: null, categoryPath: null, tags: [], version: 2 });
    });

    it('answers 404 for an article that does not exist and 400 for an id that is no number', async () => {
      for (const response of [await t.get('agent1', '/api/knowledge/999999'), await patch(999_999, { version: 1, title: 'x' }), await archive(999_999)]) {
        expect(response.status).toBe(404);
        expect(response.body.message).toBe('Knowledge article 999999 does not exist');
      }
      const bad = await t.get('agent1', '/api/knowledge/abc');
      expect(bad.status).toBe(400);
      expect(bad.body.message).toBe('The article id must be a whole number');
    });

    it('lets only editors write: agents, dispatchers and unit staff get 403', async () => {
      const article = await published({ title: '权限测试', body: '正文' });
      for (const username of ['agent1', 'dispatcher1', 'dc_handler', 'dc_admin', 'auditor1']) {
        const post = await create({ title: '标题', body: '正文' }, username);
        expect(post.status).toBe(403);
        expect((await patch(article.id, { version: 1, title: '改' }, username)).status).toBe(403);
        expect((await archive(article.id, username)).status).toBe(403);
      }
      conforms('/api/knowledge', 'post', await create({ title: '标题', body: '正文' }, 'agent1'));
      expect((await t.get('agent1', `/api/knowledge/${article.id}`)).body.version).toBe(1);
    });
  });

  describe('search', () => {
    // Words of their own (窨井 manhole, 巡查 patrol), so the demo articles stay out of the way.
    let ids: Record<string, number>;

    beforeAll(async () => {
      const base = Date.now() - 10 * DAY;
      ids = {
        bodyOnce: (await publishedAt(new Date(base + 1 * DAY), { title: '排水设施日常维护', body: '检查雨水口和窨井。' })).id,
        title: (await publishedAt(new Date(base), { title: '窨井盖缺失的处理', body: '按紧急派单，提醒来电人设置警示。' })).id,
        bodyMany: (await publishedAt(new Date(base + 2 * DAY), { title: '道路巡查要点', body: '巡查中发现窨井盖缺失、窨井盖破损、窨井冒水的，立即上报。' })).id,
        tag: (await publishedAt(new Date(base + 3 * DAY), { title: '井盖异响', body: '车辆经过时井盖发出响声。', tags: ['窨井'] })).id,
        olderTwin: (await publishedAt(new Date(base + 4 * DAY), { title: '市政设施报修', body: '窨井堵塞请报修。' })).id,
        newerTwin: (await publishedAt(new Date(base + 5 * DAY), { title: '市政设施抢修', body: '窨井堵塞请抢修。' })).id,
      };
    });

    it('ranks a two-character Chinese query: title (and tag) matches first, then more occurrences, then the newest', async () => {
      const response = await search('窨井');
      expect(response.status).toBe(200);
      conforms('/api/knowledge', 'get', response);
      expect((response.body.items as Summary[]).map((item) => item.id)).toEqual([
        // In the title or the tags, once each: the newer first.
        ids.tag,
        ids.title,
        // Only in the body: three times, then once each, the newest first.
        ids.bodyMany,
        ids.newerTwin,
        ids.olderTwin,
        ids.bodyOnce,
      ]);
      const first = (response.body.items as Summary[])[2];
      expect(first.snippet).toContain('窨井');
    });

    it('ANDs the words of a query, in any field', async () => {
      expect(titles(await search('窨井 巡查'))).toEqual(['道路巡查要点']);
      expect(titles(await search('窨井 堵塞 抢修'))).toEqual(['市政设施抢修']);
      expect((await search('窨井 供暖')).body.total).toBe(0);
    });

    it('ranks more query words in the title above fewer', async () => {
      // 缺失 and 窨井 both in the title of one; both only in the body of the other.
      expect(titles(await search('窨井 缺失'))).toEqual(['窨井盖缺失的处理', '道路巡查要点']);
    });

    it('finds a longer run by its bigrams and one character by prefix', async () => {
      expect(titles(await search('窨井盖缺失'))).toEqual(['窨井盖缺失的处理', '道路巡查要点']);
      expect((await search('窨')).body.total).toBe(6);
      // 巡 starts the bigram 巡查 (it is never the last character of a run there).
      expect(titles(await search('巡'))).toEqual(['道路巡查要点']);
    });

    it('searches the demo articles as agents type: 路灯, 公积金 提取, 噪音, 供暖', async () => {
      expect(titles(await search('路灯'))[0]).toBe('路灯不亮、损坏的报修流程');
      expect(titles(await search('公积金 提取'))).toEqual(['住房公积金提取条件及办理流程']);
      expect(titles(await search('噪音'))[0]).toBe('噪音投诉处理口径（施工噪声、社会生活噪声）');
      // The archived heating article stays out for everyone who does not ask for archived ones.
      expect(titles(await search('供暖'))).toEqual(['冬季集中供暖时间及暖气不热的处理']);
      expect(titles(await search('供暖', '', 'supervisor1'))).toEqual(['冬季集中供暖时间及暖气不热的处理']);
      expect(titles(await search('供暖', '&status=archived', 'supervisor1'))).toEqual(['2025—2026 年度供暖时间（已过期）']);
      // Letters and digits are words, found by prefix: 9559 finds 95598.
      expect(titles(await search('9559'))).toEqual(['停电报修和计划停电查询']);
    });

    it('matches nothing for a query of punctuation, and takes a blank query as none', async () => {
      expect((await search('，。、')).body).toMatchObject({ total: 0, items: [] });
      expect((await search('%_*')).body.total).toBe(0);
      const blank = await list('q=%20%20&pageSize=1');
      expect(blank.body.total).toBeGreaterThan(10);
    });

    it('filters by category including the categories below it, with or without a query', async () => {
      const utilities = await list(`categoryId=${categories.get('C07')}&pageSize=100`);
      expect(titles(utilities).sort()).toEqual(['停水原因查询与临时供水安排', '停电报修和计划停电查询', '冬季集中供暖时间及暖气不热的处理', '电费缴纳方式和电价咨询'].sort());
      expect((utilities.body.items as Summary[]).find((item) => item.title.startsWith('停水'))?.categoryPath).toBe('公共服务/供水/停水');
      const power = await list(`categoryId=${categories.get('C0702')}&q=${encodeURIComponent('停电')}`);
      expect(titles(power)).toEqual(['停电报修和计划停电查询']);
      const leaf = await list(`categoryId=${categories.get('C070201')}`);
      expect(titles(leaf)).toEqual(['停电报修和计划停电查询']);
      const unknown = await list('categoryId=999999');
      expect(unknown.status).toBe(422);
      expect(unknown.body.message).toBe('Category 999999 does not exist');
    });

    it('pages ranked and unranked lists consistently', async () => {
      const whole = await search('窨井');
      const pages = [await list(`q=${encodeURIComponent('窨井')}&page=1&pageSize=4`), await list(`q=${encodeURIComponent('窨井')}&page=2&pageSize=4`)];
      expect(pages.map((p) => p.body.total)).toEqual([6, 6]);
      expect([...titles(pages[0]), ...titles(pages[1])]).toEqual(titles(whole));
      expect(pages[1].body).toMatchObject({ page: 2, pageSize: 4 });
      const beyond = await list(`q=${encodeURIComponent('窨井')}&page=3&pageSize=4`);
      expect(beyond.body).toMatchObject({ total: 6, items: [] });
      const unranked = [await list('page=1&pageSize=3'), await list('page=2&pageSize=3')];
      const first6 = await list('pageSize=6');
      expect([...titles(unranked[0]), ...titles(unranked[1])]).toEqual(titles(first6));
    });

    it.each([
      ['pageSize 0', 'pageSize=0', /pageSize must not be less than 1/],
      ['pageSize 101', 'pageSize=101', /pageSize must not be greater than 100/],
      ['page 0', 'page=0', /page must not be less than 1/],
      ['a page past 10,000 records', 'page=102&pageSize=100', /narrow the filters/],
      ['a query of 101 characters', `q=${'字'.repeat(101)}`, /q must be at most 100 characters/],
      ['an unknown status', 'status=deleted', /status must be one of draft, published, archived/],
      ['a category id that is no number', 'categoryId=abc', /categoryId must be a whole number/],
    ])('answers 400 for %s', async (_case, query, message) => {
      const response = await list(encodeURI(query), 'supervisor1');
      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(message);
      conforms('/api/knowledge', 'get', response);
    });

    it('reads the term index by its key, never the articles’ text', async () => {
      const queries: { sql: string; parameters: unknown[] }[] = [];
      const original = dataSource.manager.query.bind(dataSource.manager);
      const spy = jest.spyOn(dataSource.manager, 'query').mockImplementation(async (sql: string, parameters?: unknown) => {
        const list = Array.isArray(parameters) ? (parameters as unknown[]) : [];
        queries.push({ sql, parameters: list });
        return original(sql, list);
      });
      try {
        // An exact term and a prefix: each a read of the term index's primary key.
        expect((await search('窨井 巡')).body.total).toBe(1);
      } finally {
        spy.mockRestore();
      }
      const ranked = queries.find((q) => q.sql.includes('ORDER BY'));
      expect(ranked).toBeDefined();
      if (engine === 'sqlite') {
        const plan = await dataSource.query<{ detail: string }[]>(`EXPLAIN QUERY PLAN ${ranked!.sql}`, ranked!.parameters);
        const details = plan.map((row) => row.detail);
        expect(details.filter((d) => /knowledge_terms/.test(d))).toHaveLength(2);
        expect(details.filter((d) => /knowledge_terms/.test(d)).every((d) => /USING (COVERING )?INDEX sqlite_autoindex_knowledge_terms_1 \(term[=><]/.test(d))).toBe(true);
        expect(details.some((d) => /^SCAN (a|knowledge_articles)\b/.test(d))).toBe(false);
      } else {
        const plan = await dataSource.query<{ table: string; type: string; key: string | null }[]>(`EXPLAIN ${ranked!.sql}`, ranked!.parameters);
        const terms = plan.filter((row) => row.table === 'knowledge_terms');
        expect(terms).toHaveLength(2);
        expect(terms.every((row) => row.key === 'PRIMARY' && ['ref', 'range'].includes(row.type))).toBe(true);
        // The articles are joined by id, or read through an index for the status filter — never a full scan of their rows.
        expect(plan.filter((row) => row.table === 'a').every((row) => row.type !== 'ALL')).toBe(true);
      }
    });
  });
});
