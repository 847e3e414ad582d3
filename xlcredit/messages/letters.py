"""Texts of the dunning letters run (its log sheet and problems) and of the cash forecast's notes."""

TEXTS: dict[str, tuple[str, str]] = {
    'letters.title': ('Letters log', '催款函记录'),
    'letters.note': ('What xlcredit letters produced, per buyer and step. Mark Sent when a letter goes out; each run adds rows and keeps the rest.', 'xlcredit letters 生成的催款函，按客户和催收阶段记录。寄出后请填写“已发送”；每次运行只增加新行，保留原有内容。'),
    'letters.no_text': ('no letter text for step {step} in {language}: add a row to the Dunning letter texts table (tblLetters) on the Policy sheet', '信用政策表的催款函文本（tblLetters）中没有催收阶段 {step}（{language}）的文本，请补充'),
    'letters.no_email': ('no e-mail address for buyer {buyer}: the draft has no recipient (E-mail column of the Buyers table)', '客户 {buyer} 没有电子邮箱：草稿无收件人（客户表的电子邮箱列）'),
    'letters.sent': ('sent', '已发送'),
    'letters.unused': ('the letter text for step {step} is not used: no step of the dunning ladder has that name ({ladder})', '催收阶段 {step} 的催款函文本未被使用：催收阶段表中没有该阶段代码（{ladder}）'),
    'letters.forecast_no_history': ('no paid history before the as-of day: every item is expected on its due date', '截至基准日无付款历史：所有款项按到期日预计'),
    'letters.forecast_promise': ('promise', '承诺付款'),
    'letters.forecast_buyer': ('buyer history', '客户历史'),
    'letters.forecast_portfolio': ('portfolio', '组合平均'),
    'letters.word.hello': ('Sir or Madam', '先生/女士'),
    'letters.word.item': ('{no}  due {due}  {ccy} {amount}  {days} days overdue', '{no}  到期日 {due}  {ccy} {amount}  逾期 {days} 天'),
    'letters.word.interest': ('Late interest and fixed compensation to date: {x}', '截至目前的逾期利息及固定补偿金：{x}'),
    'letters.word.left': ('Not included: {n} invoice(s) under dispute or with a promised payment date not yet reached ({nos}).', '未列入：{n} 张有争议或承诺付款日未到的发票（{nos}）。'),
    'letters.word.next': ('Next step if unpaid: {step} from {date}.', '如仍未付款，我司将于 {date} 起采取下一步措施：{step}。'),
    'letters.word.tel': ('tel. {phone}', '电话 {phone}'),
    'letters.word.separator': (', ', '，'),
}
