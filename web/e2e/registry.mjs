// 优抚对象 browser test: a township clerk imports the sample roster through the import dialog
// (35 新增, 5 拒绝, the error rows downloadable), finds 汪军 by typing "wj", reveals her ID number,
// checks the add form's live ID check and a server error beside its field, adds a person (a bank
// account failing Luhn is saved with a warning), edits and changes status, adds and edits a second
// category for 汪军, puts her into the new person's household and makes her head, and looks at the
// list at phone width.
//   SY_BASE_URL=http://127.0.0.1:8080 SY_SAMPLES_DIR=../shared/samples node e2e/registry.mjs
// The import creates persons: run it against a fresh demo database.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { BASE_URL, PASSWORD, run, step, shot, waitStill, login, openMenu, tableRows } from './lib.mjs'

const USER = process.env.SY_E2E_USER || 'fc_clerk'
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const SAMPLES = path.resolve(process.env.SY_SAMPLES_DIR || path.join(REPO, '..', 'shared', 'samples'))
const ROSTER = path.join(SAMPLES, 'roster_fancheng.xlsx')

if (!fs.existsSync(ROSTER)) {
  console.log(`skipped: samples not present (${ROSTER} not found; set SY_SAMPLES_DIR to the folder holding roster_fancheng.xlsx)`)
  process.exit(0)
}

// A valid ID number of 繁峙县 nobody has: a random birth date in 1970–1989 and sequence number.
function freshIdNumber() {
  const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const pad = (n, w) => String(n).padStart(w, '0')
  const rnd = (n) => Math.floor(Math.random() * n)
  const first17 = `140924${1970 + rnd(20)}${pad(1 + rnd(12), 2)}${pad(1 + rnd(28), 2)}${pad(700 + rnd(299), 3)}`
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * W[i], 0)
  return first17 + '10X98765432'[sum % 11]
}

async function dialog(page, title) {
  const d = page.locator('.el-dialog', { has: page.locator('.el-dialog__title', { hasText: title }) })
  await d.waitFor()
  await waitStill(page, `.el-dialog:has(.el-dialog__title:text("${title}"))`)
  return d
}

/** Waits for the person table to settle (no loading mask) and returns its text. */
async function personTable(page) {
  await page.waitForFunction(
    () => [...document.querySelectorAll('[data-testid="person-table"] .el-loading-mask')].every((m) => !m.offsetParent),
  )
  return page.getByTestId('person-table').innerText()
}

async function search(page, q) {
  const box = page.getByTestId('person-search')
  await box.fill('')
  await box.pressSequentially(q, { delay: 60 })
  await box.press('Enter')
}

await run('registry', async ({ page }) => {
  step(`以 ${USER} 登录`)
  await login(page, USER, PASSWORD)

  step('打开 优抚对象 → 优抚对象信息库')
  await openMenu(page, '优抚对象', '优抚对象信息库', '/registry/person')
  const before = await tableRows(page, 'person-table')
  assert.ok(before >= 1, '优抚对象列表为空（演示数据应有人员）')
  await page.getByTestId('region-tree').locator('.el-tree-node__content', { hasText: '东泰社区' }).first().waitFor()
  const totalBefore = await page.locator('.el-pagination__total').innerText()
  console.log(`  导入前：${totalBefore.trim()}`)
  await shot(page, '31-registry-list')

  step('村（社区）树：点 东泰社区 只显示该村的人')
  await page.getByTestId('region-tree').locator('.el-tree-node__content', { hasText: '东泰社区' }).first().click()
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-testid="person-table"] tbody tr.el-table__row')]
    return rows.length > 0 && rows.every((r) => r.innerText.includes('东泰社区'))
  }, null, { timeout: 15000 }).catch(() => {
    throw new Error('点选 东泰社区 后，列表中仍有别村的人')
  })
  await page.getByTestId('region-panel').getByRole('button', { name: '全部' }).click()
  await page.waitForFunction(
    () => [...document.querySelectorAll('[data-testid="person-table"] tbody tr.el-table__row')].some((r) => !r.innerText.includes('东泰社区')),
  )

  step('导入：选择 roster_fancheng.xlsx（不勾选试导入）')
  await page.getByTestId('open-import').click()
  const imp = await dialog(page, '导入优抚对象花名册')
  const dry = imp.getByTestId('import-dry-run')
  assert.ok(!(await dry.getAttribute('class')).includes('is-checked'), '试导入默认不应勾选')
  const chooser = page.waitForEvent('filechooser')
  await imp.locator('.el-upload-dragger').click()
  await (await chooser).setFiles(ROSTER)
  await imp.getByTestId('import-file').getByText('roster_fancheng.xlsx').waitFor()
  await shot(page, '32-import-dialog')

  step('导入：上传并等待每行的结论')
  await imp.getByTestId('import-submit').click()
  await imp.getByTestId('import-verdict').waitFor({ timeout: 60000 })
  const count = async (key) => Number((await imp.getByTestId(`verdict-${key}`).locator('.import-count-value').innerText()).trim())
  const created = await count('created')
  const rejected = await count('rejected')
  console.log(`  新增 ${created}，更新 ${await count('updated')}，未变 ${await count('unchanged')}，拒绝 ${rejected}`)
  assert.equal(created, 35, `应新增 35 行，实际 ${created}`)
  assert.equal(rejected, 5, `应拒绝 5 行，实际 ${rejected}`)
  const errRows = imp.getByTestId('import-errors').locator('tbody tr.el-table__row')
  assert.equal(await errRows.count(), 5, '被拒绝的行表应有 5 行')
  const rowNumbers = (await errRows.locator('td:first-child').allInnerTexts()).map((s) => Number(s.trim()))
  assert.deepEqual(rowNumbers, [5, 18, 21, 24, 27], `被拒绝的行号不对：${rowNumbers.join(',')}`)
  const errText = await imp.getByTestId('import-errors').innerText()
  for (const want of ['残疾军人缺少伤残等级', '科学计数法', '校验位错误', '与本文件第6行身份证号重复', '找不到']) {
    assert.ok(errText.includes(want), `拒绝原因中应有「${want}」`)
  }
  await waitStill(page, '.el-dialog:has(.el-dialog__title:text("导入优抚对象花名册"))')
  await shot(page, '33-import-verdict')

  step('下载错误行：导入错误行.xlsx')
  const dl = page.waitForEvent('download')
  await imp.getByTestId('import-error-download').click()
  const download = await dl
  assert.equal(download.suggestedFilename(), '导入错误行.xlsx')
  const saved = path.join(os.tmpdir(), `sy-e2e-errors-${process.pid}.xlsx`)
  await download.saveAs(saved)
  const head = fs.readFileSync(saved).subarray(0, 2).toString('latin1')
  const bytes = fs.statSync(saved).size
  fs.rmSync(saved, { force: true })
  assert.equal(head, 'PK', '错误行文件不是 xlsx（zip）')
  console.log(`  错误行文件 ${bytes} 字节`)

  step('关闭导入对话框，列表已刷新')
  await imp.getByTestId('import-close').click()
  await imp.waitFor({ state: 'hidden' })
  await page.waitForFunction((t) => {
    const el = document.querySelector('.el-pagination__total')
    return el && el.innerText.trim() !== t
  }, totalBefore.trim(), { timeout: 15000 }).catch(() => {
    throw new Error('导入后列表总数没有变化')
  })

  step('搜索框输入 wj 找到 汪军')
  await search(page, 'wj')
  await page.getByTestId('person-table').locator('tr.el-table__row', { hasText: '汪军' }).first().waitFor()
  const wjText = await personTable(page)
  assert.ok(wjText.includes('汪军'), '搜索 wj 的结果中没有 汪军')
  const target = page.getByTestId('person-table').locator('tr.el-table__row', { hasText: '3941' }).filter({ hasText: '汪军' })
  assert.equal(await target.count(), 1, '搜索结果中应有 1 个身份证号末 4 位为 3941 的 汪军（样例第 4 行）')
  const targetText = await target.innerText()
  assert.ok(targetText.includes('1409**********3941'), `列表中的身份证号应打码，实际：${targetText}`)
  assert.ok(!targetText.includes('140924195604213941'), '列表中不应出现完整身份证号')
  await shot(page, '34-search-wj')

  step('打开 汪军 的页面，点 身份证号 的「显示」')
  await target.getByRole('link', { name: '汪军' }).click()
  await page.waitForURL((u) => /^\/registry\/person\/\d+$/.test(u.pathname))
  const personUrl = page.url()
  await page.getByTestId('person-name').getByText('汪军').waitFor()
  const idCell = page.getByTestId('masked-id_number')
  assert.equal((await idCell.locator('.masked-text').innerText()).trim(), '1409**********3941')
  await shot(page, '35-person-basic')
  await idCell.getByRole('button', { name: '显示' }).click()
  await idCell.getByText('140924195604213941').waitFor().catch(() => {
    throw new Error('点「显示」后没有出现完整身份证号 140924195604213941')
  })
  await shot(page, '36-person-revealed')
  const tabTitles = (await page.getByTestId('tags-view').locator('.tags-item').allInnerTexts()).map((s) => s.trim())
  assert.ok(tabTitles.includes('优抚对象：汪军'), `标签页应显示「优抚对象：汪军」，实际：${tabTitles.join('、')}`)

  step('类别与待遇、家庭、变更记录')
  await page.getByRole('tab', { name: '类别与待遇' }).click()
  await page.getByTestId('person-categories').getByText('烈士遗属').waitFor()
  await page.getByRole('tab', { name: '家庭' }).click()
  await page.getByTestId('person-family').getByText('低保户').waitFor()
  await page.getByRole('tab', { name: '变更记录' }).click()
  const history = page.getByTestId('person-history')
  await history.locator('.el-timeline-item').first().waitFor()
  const historyText = await history.innerText()
  assert.ok(historyText.includes('导入') && historyText.includes(USER), `变更记录应有 ${USER} 的导入记录`)
  assert.ok(!historyText.includes('140924195604213941'), '变更记录中的身份证号应打码')
  await page.waitForTimeout(400) // the tab bar slides under 变更记录
  await shot(page, '37-person-history')

  step('编辑：改电话（只提交改动的字段），变更记录出现 联系电话')
  await page.getByTestId('person-edit').click()
  const edit = await dialog(page, '编辑优抚对象')
  const phone = edit.locator('.el-form-item', { hasText: '联系电话' }).locator('input')
  await phone.fill('13912345678')
  await edit.getByTestId('person-form-submit').click()
  await edit.waitFor({ state: 'hidden' })
  await history.getByText('联系电话').waitFor()
  assert.equal((await page.getByTestId('masked-phone').locator('.masked-text').innerText()).trim(), '139****5678')

  step('变更状态：暂停（须填原因）')
  await page.getByTestId('person-status-change').click()
  const st = await dialog(page, '变更状态')
  await st.getByTestId('status-options').getByText('暂停').click()
  await st.getByTestId('status-submit').click()
  await st.locator('.el-form-item__error', { hasText: '请填写原因' }).waitFor()
  await st.getByPlaceholder('长期联系不上').fill('长期联系不上，暂停发放')
  await st.locator('.el-form-item__error', { hasText: '请填写原因' }).waitFor({ state: 'hidden' })
  await shot(page, '38-status-dialog')
  await st.getByTestId('status-submit').click()
  await st.waitFor({ state: 'hidden' })
  await page.getByTestId('person-status').getByText('暂停').waitFor()
  await history.getByText('状态变更').first().waitFor()

  step('新增：身份证号边输边校验，自动填性别和出生日期')
  await openMenu(page, '优抚对象', '优抚对象信息库', '/registry/person')
  await page.getByRole('button', { name: '新增' }).click()
  const add = await dialog(page, '新增优抚对象')
  const idInput = add.getByTestId('person-id-number')
  const idCheck = add.getByTestId('id-check')
  await idInput.pressSequentially('14092419560421394', { delay: 20 })
  await idCheck.getByText('已输入 17 位').waitFor()
  await idInput.press('x')
  await idCheck.getByText('校验位错误，应为 1').waitFor()
  await idInput.fill('140924550515135')
  await idCheck.getByText('15位旧号码，将登记为 140924195505151351').waitFor()
  assert.equal(await add.getByTestId('person-gender').inputValue(), '男')
  assert.equal(await add.getByTestId('person-birth').inputValue(), '1955-05-15')
  await idInput.fill('140924195604213941')
  await idCheck.getByText('身份证号有效').waitFor()
  assert.equal(await add.getByTestId('person-gender').inputValue(), '女')

  step('新增：残疾军人显示伤残性质与等级，因病只有一级至六级')
  await add.locator('.el-form-item', { hasText: '姓名' }).first().locator('input').fill('汪军')
  await add.locator('.el-form-item', { hasText: '所属村（社区）' }).locator('.region-select').click()
  const popper = page.locator('.region-select-popper:visible')
  await popper.locator('.el-tree-node').first().waitFor()
  await popper.locator('.el-tree-node__expand-icon').first().click()
  await popper.locator('.el-tree-node__content', { hasText: '东泰社区' }).first().click()
  await add.getByTestId('person-category').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: /^残疾军人/ }).click()
  await add.getByTestId('person-cause').getByText('因病').click()
  await add.getByTestId('person-grade').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '一级' }).waitFor()
  await page.waitForTimeout(300)
  const grades = (await page.locator('.el-select-dropdown__item:visible').allInnerTexts()).map((s) => s.trim())
  assert.deepEqual(grades, ['一级', '二级', '三级', '四级', '五级', '六级'], `因病的伤残等级选项不对：${grades.join(',')}`)
  await page.locator('.el-select-dropdown__item:visible', { hasText: '五级' }).click()
  await page.locator('.el-select-dropdown__item:visible').first().waitFor({ state: 'hidden' })
  await shot(page, '39-person-form')

  step('新增：重复的身份证号，服务器的提示显示在身份证号旁')
  await add.getByTestId('person-form-submit').click()
  const idError = add.locator('.el-form-item', { has: page.getByTestId('person-id-number') }).locator('.el-form-item__error')
  await idError.getByText('身份证号已登记').waitFor()
  console.log(`  服务器提示：${(await idError.innerText()).trim()}`)
  await shot(page, '40-person-form-server-error')

  step('新增：换一个新号码，银行账号未通过校验也能保存，保存后提示核对')
  const fresh = freshIdNumber()
  await idInput.fill(fresh)
  await idCheck.getByText('身份证号有效').waitFor()
  await add.locator('.el-form-item', { hasText: '姓名' }).first().locator('input').fill('测试残疾军人')
  await add.locator('.el-form-item', { hasText: '银行账号' }).locator('input').fill('6217994526859693845')
  await add.getByTestId('person-form-submit').click()
  await add.waitFor({ state: 'hidden' })
  await page.locator('.el-message--warning', { hasText: '银行账号未通过校验（Luhn），请核对' }).waitFor().catch(() => {
    throw new Error('保存了 Luhn 校验不通过的银行账号，但没有出现「请核对」的提示')
  })
  await shot(page, '44-person-saved-luhn-warning')
  await search(page, fresh.slice(-6))
  await page.getByTestId('person-table').locator('tr.el-table__row', { hasText: '测试残疾军人' }).waitFor()
  const newRow = await page.getByTestId('person-table').locator('tr.el-table__row', { hasText: '测试残疾军人' }).innerText()
  assert.ok(newRow.includes('残疾军人 五级 因病'), `新增的人的类别应为「残疾军人 五级 因病」，实际：${newRow}`)

  step('类别与待遇：给 汪军 新增 残疾军人（因病只能选一级至六级），再修改等级')
  await page.goto(personUrl)
  await page.getByTestId('person-name').getByText('汪军').waitFor()
  await page.getByRole('tab', { name: '类别与待遇' }).click()
  const cats = page.getByTestId('person-categories')
  await cats.getByText('烈士遗属').waitFor()
  await page.getByTestId('category-add').click()
  const catDlg = await dialog(page, '新增优抚类别')
  await catDlg.getByTestId('category-select').click()
  const held = page.locator('.el-select-dropdown__item:visible', { hasText: '烈士遗属' })
  assert.ok((await held.getAttribute('class')).includes('is-disabled'), '已有的类别（烈士遗属）在新增时应不可选')
  await page.locator('.el-select-dropdown__item:visible', { hasText: /^残疾军人/ }).click()
  await catDlg.getByTestId('category-submit').click()
  await catDlg.locator('.el-form-item__error', { hasText: '残疾军人须选择伤残性质' }).waitFor()
  await catDlg.getByTestId('category-cause').getByText('因病').click()
  await catDlg.getByTestId('category-grade').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '一级' }).waitFor()
  await page.waitForTimeout(300)
  const catGrades = (await page.locator('.el-select-dropdown__item:visible').allInnerTexts()).map((s) => s.trim())
  assert.deepEqual(catGrades, ['一级', '二级', '三级', '四级', '五级', '六级'], `因病的伤残等级选项不对：${catGrades.join(',')}`)
  await page.locator('.el-select-dropdown__item:visible', { hasText: '四级' }).click()
  await page.locator('.el-select-dropdown__item:visible').first().waitFor({ state: 'hidden' })
  const approved = catDlg.getByPlaceholder('批准享受待遇的日期')
  await approved.fill('2020-05-01')
  await approved.press('Enter')
  await shot(page, '45-category-dialog')
  await catDlg.getByTestId('category-submit').click()
  await catDlg.waitFor({ state: 'hidden' })
  const dvRow = cats.locator('tr.el-table__row', { hasText: '残疾军人' })
  await dvRow.waitFor()
  const dvText = await dvRow.innerText()
  assert.ok(dvText.includes('四级') && dvText.includes('因病') && dvText.includes('2020-05-01'), `新增的类别行不对：${dvText}`)
  assert.ok(await cats.getByText('烈士遗属').isVisible(), '新增类别后原有的 烈士遗属 应保留')
  await dvRow.getByTestId('category-edit').click()
  const editDlg = await dialog(page, '修改类别')
  await editDlg.getByTestId('category-grade').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '三级' }).click()
  await editDlg.getByTestId('category-submit').click()
  await editDlg.waitFor({ state: 'hidden' })
  await dvRow.getByText('三级').waitFor()
  await page.locator('.person-head-tags').getByText('残疾军人 三级 因病').waitFor()
  await shot(page, '46-person-categories')

  step('家庭：汪军 加入 测试残疾军人 的户（按身份证号末6位查找）')
  await page.getByRole('tab', { name: '家庭' }).click()
  const members = page.getByTestId('household-members')
  await members.locator('tr.el-table__row').first().waitFor()
  assert.equal(await members.locator('tr.el-table__row').count(), 1, '加入前 汪军 应单独成户')
  await page.getByTestId('household-join').click()
  const join = await dialog(page, '加入其他户')
  await join.getByTestId('join-search').fill(fresh.slice(-6))
  await join.getByTestId('join-search').press('Enter')
  const cand = join.getByTestId('join-candidates').locator('tr.el-table__row', { hasText: '测试残疾军人' })
  await cand.getByRole('button', { name: '选择该户' }).click()
  await join.getByTestId('join-target').getByText('测试残疾军人').first().waitFor()
  await cand.getByText('已选择').waitFor()
  await page.waitForTimeout(400) // the loading mask fades out
  await shot(page, '47-join-household-dialog')
  await join.getByTestId('join-submit').click()
  await join.waitFor({ state: 'hidden' })
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="household-members"] tr.el-table__row').length === 2)
  const headRow = members.locator('tr.el-table__row', { has: page.locator('.member-head') })
  assert.ok((await headRow.innerText()).includes('测试残疾军人'), '加入后户主应为 测试残疾军人')
  await shot(page, '48-household-joined')

  step('家庭：把 汪军 设为户主')
  await members.locator('tr.el-table__row', { hasText: '汪军' }).getByTestId('household-set-head').click()
  await page.locator('.el-message-box').getByRole('button', { name: '确定' }).click()
  await page.waitForFunction(() => {
    const row = [...document.querySelectorAll('[data-testid="household-members"] tr.el-table__row')].find((r) => r.querySelector('.member-head'))
    return row && row.innerText.includes('汪军')
  })
  await page.locator('.el-message-box').waitFor({ state: 'hidden' })
  await shot(page, '49-household-new-head')

  step('家庭：测试残疾军人 迁出为独立户，汪军 的户只剩本人')
  await members.locator('tr.el-table__row', { hasText: '测试残疾军人' }).getByTestId('household-split').click()
  await page.locator('.el-message-box').getByRole('button', { name: '确定' }).click()
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="household-members"] tr.el-table__row').length === 1)
  assert.ok((await members.innerText()).includes('汪军（本人）'), '迁出后户内应只剩 汪军')
  await page.locator('.el-message-box').waitFor({ state: 'hidden' })

  step('变更记录：调整户（所属户、户主）')
  await page.getByRole('tab', { name: '变更记录' }).click()
  await history.getByText('调整户').first().waitFor()
  const hhHistory = await history.innerText()
  assert.ok(hhHistory.includes('所属户') && hhHistory.includes('户主 测试残疾军人 的户（东泰社区）'), `变更记录应有 所属户 的变动：${hhHistory.slice(0, 300)}`)
  assert.ok(/户主：\s*测试残疾军人\s*→\s*汪军/.test(hhHistory), `变更记录应有 户主 测试残疾军人 → 汪军：${hhHistory.slice(0, 300)}`)
  await page.waitForTimeout(400)
  await shot(page, '50-person-history-household')

  step('手机宽度（375px）：村（社区）树收在表格上方')
  await openMenu(page, '优抚对象', '优抚对象信息库', '/registry/person')
  await page.setViewportSize({ width: 375, height: 740 })
  await page.waitForTimeout(300)
  await search(page, 'wj')
  await page.getByTestId('person-table').locator('tr.el-table__row', { hasText: '汪军' }).first().waitFor()
  await personTable(page)
  const panel = await page.getByTestId('region-panel').boundingBox()
  const table = await page.getByTestId('person-table').boundingBox()
  assert.ok(panel && table && panel.y + panel.height <= table.y, '手机宽度下村（社区）栏应在表格上方')
  assert.ok(!(await page.getByTestId('region-tree').isVisible()), '手机宽度下村（社区）树应先收起')
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert.ok(overflow <= 1, `手机宽度下页面横向溢出 ${overflow}px`)
  await shot(page, '41-mobile-registry-list')
  await page.getByTestId('region-panel').locator('.region-panel-head').click()
  await page.getByTestId('region-tree').locator('.el-tree-node__content', { hasText: '东泰社区' }).first().waitFor()
  await shot(page, '42-mobile-region-tree')
  await page.getByTestId('region-tree').locator('.el-tree-node__content', { hasText: '东泰社区' }).first().click()
  await page.getByTestId('region-panel').getByText('：东泰社区').waitFor()
  assert.ok(!(await page.getByTestId('region-tree').isVisible()), '选定村（社区）后树应收起')

  step('手机宽度：汪军 的页面')
  await page.goto(personUrl)
  await page.getByTestId('person-name').getByText('汪军').waitFor()
  const overflow2 = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert.ok(overflow2 <= 1, `手机宽度下个人页面横向溢出 ${overflow2}px`)
  await shot(page, '43-mobile-person')
  await page.getByRole('tab', { name: '家庭' }).click()
  await page.getByTestId('household-members').locator('tr.el-table__row').first().waitFor()
  const overflow3 = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert.ok(overflow3 <= 1, `手机宽度下「家庭」页横向溢出 ${overflow3}px`)
  await page.getByTestId('household-members').scrollIntoViewIfNeeded()
  await shot(page, '51-mobile-person-family')
  await page.setViewportSize({ width: 1366, height: 800 })
})
