#!/usr/bin/env bash
# Installs, builds, creates the demo database if there is none, and serves the app.
#   SY_DEMO_DB (default data/demo.db), SY_LISTEN (default 127.0.0.1:8080)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build
db=${SY_DEMO_DB:-data/demo.db}
listen=${SY_LISTEN:-127.0.0.1:8080}
mkdir -p "$(dirname "$db")"
if [ ! -f "$db" ]; then
  build/shuangyong demo --db "$db"
else
  echo "使用已有的演示数据库 $db（删除它可重新生成）"
fi
cat <<MSG

  打开 http://$listen/
  演示账号（密码均为 Demo#2026）：
    admin        系统管理员（用户、设置）
    security     安全管理员（角色、解锁）
    auditor      审计员（审计日志）
    county_lead  业务管理员（繁峙县）
    fc_lead      业务管理员（繁城镇）
    fc_clerk     经办人（繁城镇）
    fc_viewer    查看（繁城镇）

MSG
exec build/shuangyong serve --db "$db" --listen "$listen"
