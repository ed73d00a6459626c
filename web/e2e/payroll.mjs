// 抚恤补助发放 browser test, as the township's clerk and lead would work a month:
//   fc_lead imports the sample standards on 待遇标准 (21 新增 on a database without standards; 21 未变
//   where the demo already holds them), looks at history and the payment rules, adds a bank file
//   template (a nameless one is refused), sets 残疾抚恤金's funding split (95 % is refused), makes a
//   draft and is refused when approving his own (maker–checker), and discards it;
//   fc_clerk makes the month's run watching its progress bar (persons processed of the total),
//   sees lines, 暂缓发放 with reasons, totals with the funding split, and may not approve it;
//   fc_lead approves, exports the bank file (an xlsx, then a csv by the new template), opens the
//   printable 花名册 (小计, 总计), filters a reconciled run's lines by the bank's result and follows
//   the link to its re-issue run and back, and corrects a standard (the old one stays as history);
//   fc_clerk records a proof of life; the run page at phone width.
//   SY_BASE_URL=http://127.0.0.1:8080 SY_SAMPLES_DIR=../shared/samples node e2e/payroll.mjs
// It makes and approves a run for the month after the last one: use a throwaway demo database.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { BASE_URL, PASSWORD, run, step, shot, waitStill, login, logout, openMenu, tableRows } from './lib.mjs'

const CLERK = process.env.SY_E2E_USER || 'fc_clerk'
const LEAD = process.env.SY_E2E_LEAD || 'fc_lead'
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const SAMPLES = path.resolve(process.env.SY_SAMPLES_DIR || path.join(REPO, '..', 'shared', 'samples'))
const STANDARDS = path.join(SAMPLES, 'standards_2018_2019.xlsx')
const GROUP = '抚恤补助发放'

async function dialog(page, title) {
  const d = page.locator('.el-dialog', { has: page.locator('.el-dialog__title', { hasText: title }) })
  await d.waitFor()
  await waitStill(page, `.el-dialog:has(.el-dialog__title:text("${title}"))`)
  return d
}

/** Waits until no loading mask shows inside the element with the test id. */
async function settled(page, testid) {
  await page.getByTestId(testid).waitFor()
  await page.waitForFunction(
    (id) => [...document.querySelectorAll(`[data-testid="${id}"] .el-loading-mask`)].every((m) => !m.offsetParent),
    testid,
  )
}

async function standardsCount(page) {
  await settled(page, 'std-table')
  return page.getByTestId('std-table').locator('.el-table__body-wrapper tbody tr.el-table__row').count()
}

/** 新建批次 with the default month (the one after the last run); returns the run's page URL.
 *  With `watchProgress`, the answer to POST /payroll-runs is held back 1.5 s after the server has
 *  computed it, so the dialog's progress bar (polled from GET /payroll-progress/{token}) is seen
 *  with the real count of persons processed. */
async function createRun(page, who, { watchProgress = false } = {}) {
  await page.getByTestId('run-create-open').click()
  const d = await dialog(page, '新建发放批次')
  const month = await d.locator('.el-form-item', { hasText: '发放月份' }).locator('input').inputValue()
  console.log(`  ${who} 新建批次：${month}`)
  await shot(page, who === LEAD ? '64-run-create-dialog' : '66-run-create-clerk')
  let token = ''
  const hold = async (route) => {
    const req = route.request()
    if (req.method() !== 'POST') return route.continue()
    token = (req.postDataJSON() || {}).progress || ''
    const resp = await route.fetch()
    await new Promise((r) => setTimeout(r, 1500))
    await route.fulfill({ response: resp })
  }
  if (watchProgress) await page.route('**/api/v1/payroll-runs', hold)
  await d.getByTestId('run-create-submit').click()
  const sawBusy = await d.getByTestId('run-create-busy').waitFor({ timeout: 3000 }).then(() => true, () => false)
  if (watchProgress) {
    assert.ok(sawBusy, '计算期间应显示进度')
    // The server has finished; the page polls and shows 已处理 N / N 人 at 100 %.
    await page.waitForFunction(
      () => /已处理 [\d,]+ \/ [\d,]+ 人/.test(document.querySelector('[data-testid="run-progress-count"]')?.innerText || ''),
      null,
      { timeout: 60000 },
    )
    const count = (await d.getByTestId('run-progress-count').innerText()).trim()
    const [done, total] = count.match(/[\d,]+/g).map((n) => Number(n.replace(/,/g, '')))
    assert.ok(total > 0 && done <= total, `进度应为已处理/总人数，实际：${count}`)
    console.log(`  进度条：${(await d.getByTestId('run-progress-phase').innerText()).trim()}，${count}`)
    await page.waitForTimeout(800)  // the bar's width is animated
    await shot(page, '66a-run-create-progress')
  }
  const outcome = await Promise.race([
    page.waitForURL((u) => /^\/payroll\/runs\/\d+$/.test(u.pathname), { timeout: 120000 }).then(() => 'ok'),
    d.getByTestId('run-create-error').waitFor({ timeout: 120000 }).then(() => 'error'),
  ])
  if (watchProgress) await page.unroute('**/api/v1/payroll-runs', hold)
  if (outcome === 'error') throw new Error(`新建批次失败：${(await d.getByTestId('run-create-error').innerText()).trim()}`)
  console.log(`  计算中提示${sawBusy ? '已显示' : '未来得及显示（计算很快）'}`)
  if (watchProgress) {
    assert.ok(token, '新建批次的请求应带上进度标识 progress')
    const id = new URL(page.url()).pathname.split('/').pop()
    const p = await page.evaluate(async (t) => (await fetch(`/api/v1/payroll-progress/${t}`)).json(), token)
    assert.equal(p.phase, 'done', `计算结束后进度应为完成，实际：${JSON.stringify(p)}`)
    assert.equal(p.run_id, id, '进度应指向新建的批次')
    assert.equal(p.done, p.total, '完成时已处理人数应等于总人数')
  }
  await settled(page, 'run-head')
  await page.getByTestId('run-status').getByText('草稿').waitFor()
  return { url: page.url(), month }
}

async function confirmBox(page, title) {
  const box = page.locator('.el-message-box', { hasText: title })
  await box.waitFor()
  await waitStill(page, '.el-message-box')
  await box.getByRole('button', { name: '确定' }).click()
  await box.waitFor({ state: 'hidden' })
}

await run('payroll', async ({ page, context }) => {
  // ------------------------------------------------------------------ 待遇标准 (fc_lead)
  step(`以 ${LEAD}（业务管理员）登录，打开 ${GROUP} → 待遇标准`)
  await login(page, LEAD, PASSWORD)
  await openMenu(page, GROUP, '待遇标准', '/payroll/standards')
  const before = await standardsCount(page)
  console.log(`  导入前有效标准 ${before} 条`)

  if (!fs.existsSync(STANDARDS)) {
    console.log(`  skipped: 导入样例标准（${STANDARDS} 不存在；设置 SY_SAMPLES_DIR 指向含 standards_2018_2019.xlsx 的目录）`)
    if (before === 0) {
      console.log('skipped: 没有样例标准，数据库中也没有待遇标准，无法编制批次')
      return
    }
  } else {
    step('导入：选择 standards_2018_2019.xlsx，上传并看逐行结论')
    await page.getByTestId('std-open-import').click()
    const imp = await dialog(page, '导入待遇标准')
    const chooser = page.waitForEvent('filechooser')
    await imp.locator('.el-upload-dragger').click()
    await (await chooser).setFiles(STANDARDS)
    await imp.getByTestId('picked-file').getByText('standards_2018_2019.xlsx').waitFor()
    await page.waitForFunction(() => !document.querySelector('[data-testid="std-import-submit"]').disabled)
    await page.waitForTimeout(300)
    await shot(page, '61-standards-import-dialog')
    await imp.getByTestId('std-import-submit').click()
    await imp.getByTestId('std-import-verdict').waitFor({ timeout: 60000 })
    const count = async (key) => Number((await imp.getByTestId(`std-verdict-${key}`).locator('.import-count-value').innerText()).trim())
    const [rows, created, unchanged, rejected] = [await count('rows'), await count('created'), await count('unchanged'), await count('rejected')]
    console.log(`  ${rows} 行：新增 ${created}，未变 ${unchanged}，有误 ${rejected}`)
    assert.equal(rejected, 0, `样例标准不应有错误行，实际 ${rejected}`)
    if (before === 0) assert.equal(created, 21, `空库导入样例应新增 21 条，实际 ${created}`)
    else assert.equal(created + unchanged, 21, `样例共 21 条标准，新增 ${created} + 未变 ${unchanged} 应为 21`)
    await waitStill(page, '.el-dialog:has(.el-dialog__title:text("导入待遇标准"))')
    await shot(page, '62-standards-import-verdict')
    await imp.getByTestId('std-import-close').click()
    await imp.waitFor({ state: 'hidden' })
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="std-table"] tbody tr.el-table__row').length >= 21,
      null,
      { timeout: 15000 },
    ).catch(() => {
      throw new Error('导入后待遇标准表少于 21 行')
    })
  }
  const afterText = await page.getByTestId('std-table').innerText()
  for (const want of ['残疾抚恤金', '88,150.00', '2019-08-01', '带病回乡退役军人']) {
    assert.ok(afterText.includes(want), `待遇标准表中应有「${want}」`)
  }
  // In the items' own order (残疾抚恤金, 定期抚恤金, 定期生活补助, 护理费, …), not by internal code.
  const ITEM_ORDER = ['残疾抚恤金', '定期抚恤金', '定期生活补助', '护理费', '义务兵家庭优待金', '丧葬补助费', '一次性补助', '慰问金']
  const listed = await page.getByTestId('std-table').locator('tbody tr.el-table__row td:first-child').allInnerTexts()
  const ranks = listed.map((t) => ITEM_ORDER.indexOf(t.trim()))
  assert.ok(ranks.every((r, i) => r >= 0 && (i === 0 || ranks[i - 1] <= r)), `待遇标准应按项目顺序列出，实际：${listed.join('、')}`)
  await shot(page, '63-standards-list')

  step('更正对话框说明补发/扣回；发放规则')
  await page.getByTestId('std-table').locator('tr.el-table__row', { hasText: '88,150.00' }).first().getByTestId('std-correct').click()
  const corr = await dialog(page, '更正待遇标准')
  assert.equal(await corr.getByTestId('std-amount').inputValue(), '88150.00', '更正表单应带出原标准金额')
  assert.ok((await corr.innerText()).includes('补发'), '更正对话框应说明已发月份在下一批次补发或扣回')
  await shot(page, '63a-standards-correct')
  await corr.getByRole('button', { name: '取消' }).click()
  await corr.waitFor({ state: 'hidden' })
  await page.getByTestId('open-rules').click()
  const rules = await dialog(page, '发放规则')
  await rules.getByText('生存认证截止日').waitFor()
  await page.waitForFunction(() => ![...document.querySelectorAll('[data-testid="rules-dialog"] .el-loading-mask')].some((m) => m.offsetParent))
  await shot(page, '63b-payroll-rules')

  step('银行文件模板：新增“农业银行”（csv，户名，金额以分计，末尾合计行），缺名称的模板不保存')
  const existing = await rules.locator('.bt-card').count()
  await rules.getByTestId('bt-add').click()
  const bt = `bt-${existing}`
  await rules.getByTestId(`${bt}-name`).fill('农业银行')
  await rules.getByTestId(`${bt}-format`).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '格式：csv' }).click()
  await rules.getByTestId(`${bt}-control`).click()
  await rules.getByTestId(`${bt}-header-1`).fill('户名')
  await rules.getByTestId(`${bt}-remove-2`).click()  // 身份证号: this bank does not want it
  await rules.getByTestId(`${bt}-field-4`).click()    // 金额(元) → 金额（分）
  await page.locator('.el-select-dropdown__item:visible', { hasText: '金额（分，整数）' }).click()
  await rules.getByTestId(`${bt}-header-4`).fill('金额(分)')
  await rules.getByTestId('bt-add').click()           // a second one without a name
  await rules.getByTestId('rules-submit').click()
  const btError = (await rules.getByTestId('bt-error').innerText()).trim()
  assert.ok(btError.includes('每个银行文件模板都要有名称'), `无名称的模板应被拒绝，实际：${btError}`)
  let rulesNow = await page.evaluate(async () => (await fetch('/api/v1/payroll-rules')).json())
  assert.ok(!rulesNow.bank_templates.some((t) => t.name === '农业银行'), '有错误时不应保存任何模板')
  await rules.getByTestId(`bt-${existing + 1}-remove`).click()
  await rules.locator('.bt-card').nth(existing).scrollIntoViewIfNeeded()
  await shot(page, '63c-bank-template-editor')
  await rules.getByTestId('rules-submit').click()
  await rules.waitFor({ state: 'hidden' })
  rulesNow = await page.evaluate(async () => (await fetch('/api/v1/payroll-rules')).json())
  const abc = rulesNow.bank_templates.find((t) => t.name === '农业银行')
  assert.ok(abc, '模板“农业银行”应已保存')
  assert.equal(abc.format, 'csv')
  assert.equal(abc.control_row, true)
  assert.deepEqual(abc.columns.map((c) => c.header), ['序号', '户名', '银行账号', '开户行', '金额(分)', '备注'])
  assert.deepEqual(abc.columns.map((c) => c.field), ['seq', 'name', 'account', 'bank', 'amount_fen', 'remark'])

  step('资金分担：残疾抚恤金 中央/省/市/县，合计不是 100% 时不保存')
  await page.getByTestId('open-funding').click()
  const funding = await dialog(page, '资金分担比例')
  await page.waitForFunction(() => ![...document.querySelectorAll('[data-testid="funding-dialog"] .el-loading-mask')].some((m) => m.offsetParent))
  const share = async (level, value) => {
    const input = funding.getByTestId(`funding-disability_pension-${level}`).locator('input')
    await input.fill(String(value))
    await input.blur()
  }
  for (const [level, value] of [['central', 80], ['province', 10], ['city', 5], ['county', 0]]) await share(level, value)
  assert.equal((await funding.getByTestId('funding-disability_pension-sum').innerText()).trim(), '95%')
  await funding.getByTestId('funding-submit').click()
  const fundingError = (await funding.getByTestId('funding-error').innerText()).trim()
  assert.ok(fundingError.includes('合计应为 100%'), `合计 95% 应被拒绝，实际：${fundingError}`)
  await shot(page, '63d-funding-refused')
  await share('county', 5)
  await funding.getByTestId('funding-submit').click()
  await funding.waitFor({ state: 'hidden' })
  const items = await page.evaluate(async () => (await fetch('/api/v1/benefit-items')).json())
  const dp = items.items.find((i) => i.code === 'disability_pension')
  assert.deepEqual(dp.funding, { central: 80, province: 10, city: 5, county: 5 }, '资金分担应已保存')

  // ------------------------------------------------------------------ maker–checker (fc_lead)
  step('发放批次：业务管理员自己编制的批次，审核被拒绝（编制与审核须由两人）')
  await openMenu(page, GROUP, '发放批次', '/payroll/runs')
  await settled(page, 'run-table')
  const own = await createRun(page, LEAD)
  await page.getByTestId('run-approve').click()
  await confirmBox(page, '审核批次')
  const refusal = page.locator('.el-message-box', { hasText: '不能审核' })
  await refusal.waitFor()
  const refusalText = await refusal.innerText()
  assert.ok(refusalText.includes('不能审核自己编制的批次'), `应显示服务器的拒绝原因，实际：${refusalText}`)
  await waitStill(page, '.el-message-box')
  await shot(page, '65-maker-checker-refused')
  await refusal.getByRole('button', { name: '知道了' }).click()
  await refusal.waitFor({ state: 'hidden' })
  await page.getByTestId('run-status').getByText('草稿').waitFor()

  step('作废这个草稿')
  await page.getByTestId('run-discard').click()
  await confirmBox(page, '作废批次')
  await page.getByTestId('run-status').getByText('已作废').waitFor()
  await logout(page)

  // ------------------------------------------------------------------ the month's run (fc_clerk)
  step(`以 ${CLERK}（经办人）登录，新建 ${own.month} 的批次`)
  await login(page, CLERK, PASSWORD)
  await openMenu(page, GROUP, '发放批次', '/payroll/runs')
  await settled(page, 'run-table')
  const runPage = await createRun(page, CLERK, { watchProgress: true })
  assert.equal(runPage.month, own.month, '作废后应可重新编制同一月份')
  const runId = new URL(runPage.url).pathname.split('/').pop()
  const lines = await tableRows(page, 'lines-table')
  assert.ok(lines >= 1, '批次明细为空')
  const exceptions = Number((await page.getByTestId('card-exceptions').innerText()).replace(/[^\d]/g, ''))
  const persons = Number((await page.getByTestId('card-persons').innerText()).replace(/[^\d]/g, ''))
  console.log(`  批次 ${runId}：${persons} 人，暂缓 ${exceptions} 笔`)
  assert.ok(persons > 0, '批次人数应大于 0')
  assert.ok(exceptions > 0, '演示数据中应有暂缓发放的款项（无银行账号、无匹配标准或未认证）')
  const linesText = await page.getByTestId('lines-table').innerText()
  assert.match(linesText, /标准[\d,.]+元/, `明细行应写明计算依据（标准多少元），实际：${linesText.slice(0, 300)}`)
  assert.equal(await page.getByTestId('run-approve').count(), 0, '经办人没有审核权限，不应看到「审核」按钮')
  const clerkApprove = await page.evaluate(async (id) => {
    const me = await (await fetch('/api/v1/me')).json()
    const r = await fetch(`/api/v1/payroll-runs/${id}/approve`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token || '' },
      body: JSON.stringify({ version: 1 }),
    })
    return { status: r.status, body: await r.json().catch(() => null) }
  }, runId)
  assert.equal(clerkApprove.status, 403, `经办人直接调用审核应被拒绝（403），实际 ${clerkApprove.status}`)
  assert.equal(clerkApprove.body && clerkApprove.body.error && clerkApprove.body.error.code, 'forbidden', '经办人审核应因角色无权而被拒绝')
  console.log(`  经办人审核被服务器拒绝：${clerkApprove.body && clerkApprove.body.error && clerkApprove.body.error.message}`)
  await shot(page, '67-run-detail')

  step('暂缓发放：只列暂缓的款项及原因')
  await page.getByRole('tab', { name: /暂缓发放/ }).click()
  await tableRows(page, 'exceptions-table')
  const excText = await page.getByTestId('exceptions-table').innerText()
  assert.ok(/无匹配的待遇标准|生存认证|银行账号/.test(excText), `暂缓原因应说明为什么，实际：${excText.slice(0, 200)}`)
  await shot(page, '68-run-exceptions')

  step('按项目/按村合计')
  await page.getByRole('tab', { name: '按项目/按村' }).click()
  await tableRows(page, 'totals-by_village')
  assert.ok((await page.getByTestId('totals-by_item').innerText()).includes('合计'), '按项目合计表应有合计行')
  const fundingText = await page.getByTestId('totals-funding').innerText()
  assert.ok(fundingText.includes('残疾抚恤金') && fundingText.includes('中央'), `按项目资金分担应列出残疾抚恤金，实际：${fundingText.slice(0, 200)}`)
  await page.getByTestId('totals-funding').scrollIntoViewIfNeeded()
  await page.waitForTimeout(200)
  await shot(page, '69a-run-totals-funding')
  await page.waitForTimeout(300)
  await shot(page, '69-run-totals')

  step('手机宽度的批次页')
  await page.setViewportSize({ width: 390, height: 844 })
  await page.getByRole('tab', { name: '明细' }).click()
  await page.getByTestId('lines-table').locator('.line-card').first().waitFor()
  assert.ok((await page.getByTestId('lines-table').locator('.line-card').count()) >= 1, '手机宽度下明细应显示为卡片')
  await page.waitForTimeout(400)
  await shot(page, '70-mobile-run')
  await page.locator('.app-main').evaluate((el) => el.scrollTo(0, 470))
  await page.waitForTimeout(200)
  await shot(page, '71-mobile-run-lines')
  await page.setViewportSize({ width: 1366, height: 800 })
  await logout(page)

  // ------------------------------------------------------------------ approve, bank file, 花名册 (fc_lead)
  step(`以 ${LEAD} 登录，审核 ${CLERK} 编制的批次`)
  await login(page, LEAD, PASSWORD)
  await page.goto(runPage.url)
  await settled(page, 'run-head')
  await page.getByTestId('run-approve').click()
  await confirmBox(page, '审核批次')
  await page.getByTestId('run-status').getByText('已审核').waitFor()

  step('导出银行文件（xlsx）')
  const dl = page.waitForEvent('download')
  await page.getByTestId('run-bank-file').click()
  await page.locator('.el-dropdown-menu__item:visible', { hasText: 'Excel' }).click()
  const download = await dl
  const saved = path.join(os.tmpdir(), `sy-e2e-bank-${process.pid}.xlsx`)
  await download.saveAs(saved)
  const head = fs.readFileSync(saved).subarray(0, 2).toString('latin1')
  const bytes = fs.statSync(saved).size
  fs.rmSync(saved, { force: true })
  console.log(`  ${download.suggestedFilename()}，${bytes} 字节`)
  assert.equal(head, 'PK', '银行文件不是 xlsx（zip）')
  assert.ok(/\.xlsx$/.test(download.suggestedFilename()), `银行文件名应以 .xlsx 结尾：${download.suggestedFilename()}`)
  await page.getByText('银行文件导出于').waitFor()
  const dl2 = page.waitForEvent('download')
  await page.getByTestId('run-bank-file').click()
  await page.locator('.el-dropdown-menu__item:visible', { hasText: '农业银行' }).click()
  const viaTemplate = path.join(os.tmpdir(), `sy-e2e-bank-${process.pid}.csv`)
  await (await dl2).saveAs(viaTemplate)
  const csvLines = fs.readFileSync(viaTemplate, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n')
  fs.rmSync(viaTemplate, { force: true })
  assert.equal(csvLines[0], '序号,户名,银行账号,开户行,金额(分),备注', `按模板导出的表头不对：${csvLines[0]}`)
  assert.ok(/^合计/.test(csvLines[csvLines.length - 1]), '模板要求末尾合计行')
  console.log(`  按“农业银行”模板导出 csv：${csvLines.length - 2} 行数据和合计行`)
  await page.waitForTimeout(300)
  await shot(page, '72-run-approved')

  step('打印花名册：新标签页，按村小计与总计')
  const popup = context.waitForEvent('page')
  await page.getByTestId('run-roster-print').click()
  const print = await popup
  await print.waitForLoadState('domcontentloaded')
  const printText = await print.locator('body').innerText()
  assert.ok(printText.includes('小计'), '花名册打印页应有「小计」')
  assert.ok(printText.includes('总计'), '花名册打印页应有「总计」')
  assert.ok(printText.includes('花名册'), '花名册打印页应有标题')
  await shot(print, '73-roster-print')
  await print.close()

  step('发放批次列表')
  await openMenu(page, GROUP, '发放批次', '/payroll/runs')
  await tableRows(page, 'run-table')
  const listText = await page.getByTestId('run-table').innerText()
  const monthRow = page.getByTestId('run-table').locator('tbody tr.el-table__row', {
    has: page.locator('td:first-child', { hasText: new RegExp(`^\\s*${own.month}\\s*$`) }),
  })
  assert.equal(await monthRow.count(), 1, `批次列表中 ${own.month} 应只有一个批次（作废的不列出）`)
  assert.ok((await monthRow.innerText()).includes('已审核'), `${own.month} 的批次应为已审核：${listText.slice(0, 200)}`)
  await shot(page, '74-run-list')

  step('已对账的批次：按银行结果筛选明细，与重发批次互相链接')
  const runs = await page.evaluate(async () => (await fetch('/api/v1/payroll-runs?size=100')).json())
  const reconciled = runs.items.find((r) => r.status === 'reconciled' && r.reissue_run_id)
  if (!reconciled) {
    console.log('  skipped: 没有带重发批次的已对账批次（演示数据中 8 月批次有银行退回）')
  } else {
    await page.goto(`${BASE_URL}/payroll/runs/${reconciled.id}`)
    await settled(page, 'run-head')
    await page.getByRole('tab', { name: '对账结果' }).click()
    await tableRows(page, 'bank-table')
    await page.getByTestId('lines-bank').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '银行失败' }).click()
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="bank-table"] tbody tr.el-table__row')]
      return rows.length > 0 && rows.every((r) => r.innerText.includes('失败'))
    }, null, { timeout: 15000 })
    const failedRows = await page.getByTestId('bank-table').locator('tbody tr.el-table__row').count()
    console.log(`  ${reconciled.month} 批次：银行失败 ${failedRows} 行`)
    await shot(page, '74a-run-bank-failed')
    await page.getByTestId('run-reissue-link').click()
    await page.waitForURL((u) => u.pathname === `/payroll/runs/${reconciled.reissue_run_id}`)
    await settled(page, 'run-head')
    const back = page.getByTestId('run-head').getByRole('link', { name: reconciled.id })
    await back.waitFor()
    await shot(page, '74b-reissue-run')
  }

  step('更正一条标准：原标准保留为历史（已更正）')
  await openMenu(page, GROUP, '待遇标准', '/payroll/standards')
  await settled(page, 'std-table')
  const target = page.getByTestId('std-table').locator('tbody tr.el-table__row', { hasText: '参试退役军人' }).filter({ hasText: '2019-08-01' })
  await target.first().getByTestId('std-correct').click()
  const fix = await dialog(page, '更正待遇标准')
  await fix.getByTestId('std-amount').fill('0')
  await fix.getByTestId('std-form-submit').click()
  await fix.locator('.el-form-item__error', { hasText: '金额须大于零' }).waitFor()
  await fix.getByTestId('std-amount').fill('660')
  await fix.locator('.el-form-item', { hasText: '备注' }).locator('input').fill('按省厅更正通知')
  await fix.getByTestId('std-form-submit').click()
  await fix.waitFor({ state: 'hidden' })
  await page.getByTestId('std-table').locator('tbody tr.el-table__row', { hasText: '660.00' }).waitFor()
  await page.getByTestId('std-history').click()
  const replaced = page.getByTestId('std-table').locator('tbody tr.el-table__row.is-replaced', { hasText: '参试退役军人' })
  await replaced.first().waitFor()
  assert.ok((await replaced.first().innerText()).includes('已更正'), '历史中被更正的标准应标为「已更正」')
  await page.waitForTimeout(300)
  await shot(page, '77-standards-history')
  await logout(page)

  // ------------------------------------------------------------------ 生存认证 (fc_clerk)
  step(`以 ${CLERK} 登录，生存认证：只看未认证，登记一人`)
  await login(page, CLERK, PASSWORD)
  await openMenu(page, GROUP, '生存认证', '/payroll/proof-of-life')
  await tableRows(page, 'proof-table')
  const missingBefore = Number((await page.getByTestId('proof-missing').innerText()).trim())
  console.log(`  已认证 ${(await page.getByTestId('proof-checked').innerText()).trim()}，未认证 ${missingBefore}`)
  await shot(page, '75-proof-of-life')
  if (missingBefore > 0) {
    await page.getByTestId('proof-filter').getByText('只看未认证').click()
    await page.waitForFunction(
      () => [...document.querySelectorAll('[data-testid="proof-table"] tbody tr.el-table__row')].every((r) => r.innerText.includes('未认证')),
    )
    const first = page.getByTestId('proof-table').locator('tbody tr.el-table__row').first()
    const name = (await first.locator('td').first().innerText()).trim()
    await first.getByTestId('proof-record').click()
    const rec = await dialog(page, '登记生存认证')
    await rec.getByTestId('proof-method').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '上门核验' }).click()
    await page.locator('.el-select-dropdown__item:visible').first().waitFor({ state: 'hidden' })
    await shot(page, '76-proof-record')
    await rec.getByTestId('proof-record-submit').click()
    await rec.waitFor({ state: 'hidden' })
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid="proof-missing"]').innerText.trim()) === n,
      missingBefore - 1,
      { timeout: 15000 },
    ).catch(() => {
      throw new Error(`登记 ${name} 后未认证人数应减 1`)
    })
    console.log(`  已登记 ${name}`)
  }
})
