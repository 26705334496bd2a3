<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja" sourcelanguage="en">
    <context>
        <name>AddEntryDialog</name>
        <message>
            <source>Add an entry - TimeCrowd Tray</source>
            <translation>作業記録を追加 - TimeCrowd Tray</translation>
        </message>
        <message>
            <source>Choose…</source>
            <translation>選択…</translation>
        </message>
        <message>
            <source>Task:</source>
            <translation>タスク：</translation>
        </message>
        <message>
            <source>9:05, 905 or -1h</source>
            <translation>9:05、905、-1h など</translation>
        </message>
        <message>
            <source>From:</source>
            <translation>開始：</translation>
        </message>
        <message>
            <source>10:30, 1030 or -15m</source>
            <translation>10:30、1030、-15m など</translation>
        </message>
        <message>
            <source>To:</source>
            <translation>終了：</translation>
        </message>
        <message>
            <source>Comment:</source>
            <translation>コメント：</translation>
        </message>
        <message>
            <source>Add</source>
            <translation>追加</translation>
        </message>
        <message>
            <source>Add anyway</source>
            <translation>このまま追加</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>キャンセル</translation>
        </message>
        <message>
            <source>No task chosen</source>
            <translation>タスクが選択されていません</translation>
        </message>
        <message>
            <source>Choose the task first.</source>
            <translation>先にタスクを選んでください。</translation>
        </message>
    </context>
    <context>
        <name>AwayFeature</name>
        <message>
            <source>The stop is kept here and sent with its time when TimeCrowd Tray runs again.</source>
            <extracomment>The end-to-end tests (and a demo) shorten the wait: the away threshold in seconds, over ``idle_minutes``; the watcher then checks every third of it instead of every minute.</extracomment>
            <translation>停止はこのコンピューターに保存され、次に TimeCrowd Tray を起動したときにその時刻で送信されます。</translation>
        </message>
    </context>
    <context>
        <name>AwaySettingsFields</name>
        <message>
            <source> min</source>
            <translation> 分</translation>
        </message>
        <message>
            <source>Off</source>
            <translation>オフ</translation>
        </message>
        <message>
            <source>Ask about time away after:</source>
            <translation>離席とみなすまで：</translation>
        </message>
        <message>
            <source>Remind me to start after:</source>
            <translation>開始忘れを通知するまで：</translation>
        </message>
        <message>
            <source>Working hours:</source>
            <translation>勤務時間：</translation>
        </message>
        <message>
            <source>Working days:</source>
            <translation>勤務日：</translation>
        </message>
        <message>
            <source> h</source>
            <translation> 時間</translation>
        </message>
        <message>
            <source>Only overnight</source>
            <translation>日をまたいだときだけ</translation>
        </message>
        <message>
            <source>Offer to end a timer running over:</source>
            <translation>終了を提案する計測時間：</translation>
        </message>
        <message>
            <source>Type the working hours as 09:00-18:00.</source>
            <translation>勤務時間は 09:00-18:00 のように入力してください。</translation>
        </message>
        <message>
            <source>Type the working days as mon-fri, or as a list such as mon,wed,fri.</source>
            <translation>勤務日は mon-fri、または mon,wed,fri のように入力してください。</translation>
        </message>
    </context>
    <context>
        <name>CommentDialog</name>
        <message>
            <source>Comment - TimeCrowd Tray</source>
            <translation>コメント - TimeCrowd Tray</translation>
        </message>
        <message>
            <source>Stopped after %1</source>
            <translation>計測時間 %1 で停止</translation>
        </message>
        <message>
            <source>What did you do? (Enter saves, Shift+Enter: new line, Esc skips)</source>
            <translation>何をしましたか？（Enter で保存、Shift+Enter で改行、Esc でスキップ）</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>保存</translation>
        </message>
        <message>
            <source>Skip</source>
            <translation>スキップ</translation>
        </message>
    </context>
    <context>
        <name>DayNavigator</name>
        <message>
            <source>◀ Previous day</source>
            <translation>◀ 前日</translation>
        </message>
        <message>
            <source>Next day ▶</source>
            <translation>翌日 ▶</translation>
        </message>
        <message>
            <source>Today</source>
            <translation>今日</translation>
        </message>
    </context>
    <context>
        <name>DayTableModel</name>
        <message>
            <source>Task</source>
            <translation>タスク</translation>
        </message>
        <message>
            <source>Team</source>
            <translation>チーム</translation>
        </message>
        <message>
            <source>Start</source>
            <translation>開始</translation>
        </message>
        <message>
            <source>End</source>
            <translation>終了</translation>
        </message>
        <message>
            <source>Duration</source>
            <translation>時間</translation>
        </message>
        <message>
            <source>Comment</source>
            <translation>コメント</translation>
        </message>
        <message>
            <source>running</source>
            <translation>計測中</translation>
        </message>
        <message>
            <source>Type 9:05, 905 or -15m (15 minutes ago); Enter saves</source>
            <translation>9:05、905、-15m（15 分前）のように入力し、Enter で保存します</translation>
        </message>
        <message>
            <source>Added here, not sent yet</source>
            <translation>このコンピューターで追加しました（未送信）</translation>
        </message>
        <message>
            <source>Deleted here, not sent yet</source>
            <translation>このコンピューターで削除しました（未送信）</translation>
        </message>
        <message>
            <source>Changed here, not sent yet</source>
            <translation>このコンピューターで変更しました（未送信）</translation>
        </message>
    </context>
    <context>
        <name>DayTotalsView</name>
        <message>
            <source>Day total: %1</source>
            <translation>この日の合計：%1</translation>
        </message>
        <message>
            <source>(no team)</source>
            <translation>（チームなし）</translation>
        </message>
        <message>
            <source>By task: %1</source>
            <translation>タスク別：%1</translation>
        </message>
        <message>
            <source>By team: %1</source>
            <translation>チーム別：%1</translation>
        </message>
    </context>
    <context>
        <name>EntriesWindow</name>
        <message>
            <source>Entries - TimeCrowd Tray</source>
            <translation>作業記録 - TimeCrowd Tray</translation>
        </message>
        <message>
            <source>Add entry…</source>
            <translation>作業記録を追加…</translation>
        </message>
        <message>
            <source>Ctrl+N; or pick a gap on the timeline</source>
            <translation>追加（Ctrl+N）。タイムラインの空き時間をクリックしても追加できます</translation>
        </message>
        <message>
            <source>Continue</source>
            <translation>もう一度開始</translation>
        </message>
        <message>
            <source>Start this entry's task again (Ctrl+Enter)</source>
            <translation>この作業記録のタスクをもう一度開始します（Ctrl+Enter）</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>削除</translation>
        </message>
        <message>
            <source>Delete (the Delete key); undo with Ctrl+Z</source>
            <translation>削除（Delete キー）。Ctrl+Z で元に戻せます</translation>
        </message>
        <message>
            <source>Loading…</source>
            <translation>読み込み中…</translation>
        </message>
        <message>
            <source>Part of this day could not be loaded.</source>
            <translation>この日の作業記録の一部を読み込めませんでした。</translation>
        </message>
        <message>
            <source>Could not load this day: %1</source>
            <translation>この日の作業記録を読み込めませんでした：%1</translation>
        </message>
        <message>
            <source>Could not load this day.</source>
            <translation>この日の作業記録を読み込めませんでした。</translation>
        </message>
        <message>
            <source>No entries on this day. Add one with “Add entry…” (Ctrl+N).</source>
            <translation>この日の作業記録はありません。［作業記録を追加…］（Ctrl+N）で追加できます。</translation>
        </message>
        <message>
            <source>“%1” is not a time of day.</source>
            <translation>「%1」という時刻はありません。</translation>
        </message>
        <message>
            <source>“%1” is not a time: type 9:05, 905, or -15m for 15 minutes ago.</source>
            <translation>「%1」は時刻として読み取れません。9:05、905、-15m（15 分前）のように入力してください。</translation>
        </message>
        <message>
            <source>Comment saved.</source>
            <translation>コメントを保存しました。</translation>
        </message>
        <message>
            <source>Times saved.</source>
            <translation>時刻を保存しました。</translation>
        </message>
        <message>
            <source>Save anyway</source>
            <translation>このまま保存</translation>
        </message>
        <message>
            <source>Task changed.</source>
            <translation>タスクを変更しました。</translation>
        </message>
        <message>
            <source>Choose a task - TimeCrowd Tray</source>
            <translation>タスクを選択 - TimeCrowd Tray</translation>
        </message>
        <message>
            <source>Entry added.</source>
            <translation>作業記録を追加しました。</translation>
        </message>
    </context>
    <context>
        <name>EntryReports</name>
        <message>
            <source>Save anyway</source>
            <extracomment>show_change(entry, shown): the row shows ``shown`` until the day is loaded again.</extracomment>
            <translation>このまま保存</translation>
        </message>
        <message>
            <source>Sending…</source>
            <translation>送信中…</translation>
        </message>
        <message>
            <source>TimeCrowd refused this change: %1</source>
            <translation>TimeCrowd がこの変更を拒否しました：%1</translation>
        </message>
        <message>
            <source>no reason given</source>
            <translation>理由は示されていません</translation>
        </message>
        <message>
            <source>TimeCrowd can't be reached</source>
            <translation>TimeCrowd に接続できません</translation>
        </message>
        <message>
            <source>waiting for you to sign in</source>
            <translation>サインインを待っています</translation>
        </message>
        <message>
            <source>TimeCrowd has not confirmed it yet</source>
            <translation>TimeCrowd からの確認をまだ受け取っていません</translation>
        </message>
        <message>
            <source>Not sent yet (%1): kept here and sent as you made it, once it can be.</source>
            <translation>未送信です（%1）。変更はこのコンピューターに保存してあり、送信できるようになったら、そのままの内容で送信します。</translation>
        </message>
        <message>
            <source>Entry deleted.</source>
            <translation>作業記録を削除しました。</translation>
        </message>
        <message>
            <source>Deleted “%1”.</source>
            <translation>「%1」を削除しました。</translation>
        </message>
        <message>
            <source>Undo</source>
            <translation>元に戻す</translation>
        </message>
    </context>
    <context>
        <name>IdlePrompt</name>
        <message>
            <source>Time away</source>
            <translation>離席時間</translation>
        </message>
        <message>
            <source>Keep</source>
            <translation>含める</translation>
        </message>
        <message>
            <source>Discard</source>
            <translation>除く</translation>
        </message>
        <message>
            <source>Discard and continue</source>
            <translation>除いて再開</translation>
        </message>
        <message>
            <source>Stop at…</source>
            <translation>時刻を指定して停止…</translation>
        </message>
        <message>
            <source>HH:MM</source>
            <translation>HH:MM</translation>
        </message>
        <message>
            <source>End at…</source>
            <translation>時刻を指定して終了…</translation>
        </message>
        <message>
            <source>You stopped the timer at %1. The time away from %2 (%3) is still in that entry: discard it?</source>
            <translation>%1 にタイマーを停止しました。その作業記録には %2 からの離席時間（%3）が含まれています。除きますか？</translation>
        </message>
        <message>
            <source>The computer slept from %1 for %2 while the timer ran.</source>
            <translation>タイマーの計測中に、コンピューターがスリープしていました（%1 から %2）。</translation>
        </message>
        <message>
            <source>You were away from %1 for %2 while the timer ran.</source>
            <translation>タイマーの計測中に離席していました（%1 から %2）。</translation>
        </message>
        <message>
            <source>%1 min</source>
            <translation>%1 分</translation>
        </message>
    </context>
    <context>
        <name>IdlePromptHost</name>
        <message>
            <source>Type a time such as 12:30.</source>
            <translation>12:30 のように時刻を入力してください。</translation>
        </message>
        <message>
            <source>That time is before the entry started.</source>
            <translation>作業記録の開始より前の時刻は指定できません。</translation>
        </message>
        <message>
            <source>That time is after you stopped the timer (%1).</source>
            <translation>タイマーを停止した %1 より後の時刻は指定できません。</translation>
        </message>
        <message>
            <source>That time is in the future.</source>
            <translation>未来の時刻は指定できません。</translation>
        </message>
        <message>
            <source>Time away</source>
            <translation>離席時間</translation>
        </message>
        <message>
            <source>The running entry changed since you left (on the web or another computer): nothing was done.</source>
            <translation>離席中に、計測中の作業記録が別の場所（Web や別のコンピューター）で変更されたため、何もしていません。</translation>
        </message>
        <message>
            <source>The timer was stopped since you left (on the web or another computer): nothing was done.</source>
            <translation>離席中に、タイマーが別の場所（Web や別のコンピューター）で停止されたため、何もしていません。</translation>
        </message>
        <message>
            <source>The timer could not be stopped.</source>
            <translation>タイマーを停止できませんでした。</translation>
        </message>
    </context>
    <context>
        <name>Keyring</name>
        <message>
            <source>Your system keyring is locked. Unlock it (for example by logging in to your desktop or opening your keyring manager), then try again.</source>
            <translation>システムのキーリングがロックされています。デスクトップへのログインやキーリングの管理ツールなどでロックを解除してから、もう一度お試しください。</translation>
        </message>
        <message>
            <source>Access to the system keyring was refused. Allow TimeCrowd Tray to use it when your system asks, then try again.</source>
            <translation>システムのキーリングへのアクセスが拒否されました。システムから確認を求められたら TimeCrowd Tray による使用を許可して、もう一度お試しください。</translation>
        </message>
        <message>
            <source>The system keyring could not be used (%1). Try again.</source>
            <translation>システムのキーリングを使用できませんでした（%1）。もう一度お試しください。</translation>
        </message>
        <message>
            <source>No system keyring is available to keep your sign-in. Install and start GNOME Keyring or KWallet, then try again.</source>
            <translation>サインイン情報を保存できるシステムのキーリングがありません。GNOME Keyring または KWallet をインストールして起動してから、もう一度お試しください。</translation>
        </message>
    </context>
    <context>
        <name>NoTrayNotice</name>
        <message>
            <source>No system tray - TimeCrowd Tray</source>
            <translation>システムトレイがありません - TimeCrowd Tray</translation>
        </message>
        <message>
            <source>Start a task…</source>
            <translation>タスクを開始…</translation>
        </message>
        <message>
            <source>Quit</source>
            <translation>終了</translation>
        </message>
        <message>
            <source>OK</source>
            <translation>OK</translation>
        </message>
        <message>
            <source>No system tray was found, so the TimeCrowd Tray icon cannot be shown yet.

On GNOME, install and enable the “AppIndicator and KStatusNotifierItem Support” extension (Debian and Ubuntu: the gnome-shell-extension-appindicator package), then log in again.

TimeCrowd Tray keeps running meanwhile: start and stop the timer with the shortcut %1 or the command “timecrowd-tray toggle”. The icon appears by itself as soon as a tray is there.</source>
            <translation>システムトレイが見つからないため、TimeCrowd Tray のアイコンをまだ表示できません。

GNOME では「AppIndicator and KStatusNotifierItem Support」拡張機能をインストールして有効にし（Debian と Ubuntu では gnome-shell-extension-appindicator パッケージ）、ログインし直してください。

その間も TimeCrowd Tray は動作しています。ショートカット %1 またはコマンド「timecrowd-tray toggle」でタイマーを開始・停止できます。トレイが使えるようになると、アイコンは自動的に表示されます。</translation>
        </message>
    </context>
    <context>
        <name>NoticeBar</name>
        <message>
            <source>Dismiss</source>
            <translation>閉じる</translation>
        </message>
    </context>
    <context>
        <name>Notifier</name>
        <message>
            <source>Sign in needed</source>
            <translation>サインインが必要です</translation>
        </message>
        <message>
            <source>TimeCrowd did not start the timer</source>
            <translation>TimeCrowd でタイマーを開始できませんでした</translation>
        </message>
        <message>
            <source>TimeCrowd did not stop the timer</source>
            <translation>TimeCrowd でタイマーを停止できませんでした</translation>
        </message>
        <message>
            <source>TimeCrowd did not save the comment</source>
            <translation>TimeCrowd にコメントを保存できませんでした</translation>
        </message>
        <message>
            <source>TimeCrowd did not create the task</source>
            <translation>TimeCrowd でタスクを作成できませんでした</translation>
        </message>
        <message>
            <source>TimeCrowd did not add the entry</source>
            <translation>TimeCrowd で作業記録を追加できませんでした</translation>
        </message>
        <message>
            <source>TimeCrowd did not change the entry</source>
            <translation>TimeCrowd で作業記録を変更できませんでした</translation>
        </message>
        <message>
            <source>TimeCrowd did not delete the entry</source>
            <translation>TimeCrowd で作業記録を削除できませんでした</translation>
        </message>
        <message>
            <source>TimeCrowd refused a change</source>
            <translation>TimeCrowd が変更を受け付けませんでした</translation>
        </message>
        <message>
            <source>Timer started elsewhere</source>
            <translation>別の場所でタイマーが開始されました</translation>
        </message>
        <message>
            <source>Task switched elsewhere</source>
            <translation>別の場所でタスクが切り替えられました</translation>
        </message>
        <message>
            <source>Timer stopped elsewhere</source>
            <translation>別の場所でタイマーが停止されました</translation>
        </message>
        <message>
            <source>Changes sent</source>
            <translation>変更を送信しました</translation>
        </message>
        <message numerus="yes">
            <source>%n change(s) made offline reached TimeCrowd.</source>
            <translation>
                <numerusform>オフライン中の %n 件の変更を TimeCrowd に送信しました。</numerusform>
            </translation>
        </message>
        <message>
            <source>Offline</source>
            <translation>オフライン</translation>
        </message>
        <message>
            <source>TimeCrowd cannot be reached. Your changes are kept and sent when it can.</source>
            <translation>TimeCrowd に接続できません。変更は保存され、接続できるようになったら送信されます。</translation>
        </message>
        <message>
            <source>Back online</source>
            <translation>オンラインに戻りました</translation>
        </message>
        <message>
            <source>TimeCrowd can be reached again.</source>
            <translation>TimeCrowd に再び接続できるようになりました。</translation>
        </message>
        <message>
            <source>Timer started</source>
            <translation>タイマーを開始しました</translation>
        </message>
        <message>
            <source>Timer stopped</source>
            <translation>タイマーを停止しました</translation>
        </message>
        <message>
            <source>Could not open %1 in a browser. Copy the address into your browser.</source>
            <translation>%1 をブラウザーで開けませんでした。アドレスをコピーしてブラウザーに貼り付けてください。</translation>
        </message>
        <message>
            <source>Could not open the page</source>
            <translation>ページを開けませんでした</translation>
        </message>
    </context>
    <context>
        <name>Palette</name>
        <message>
            <source>Start a task - TimeCrowd Tray</source>
            <translation>タスクを開始 - TimeCrowd Tray</translation>
        </message>
        <message>
            <source>Search tasks</source>
            <translation>タスクを検索</translation>
        </message>
        <message>
            <source>Search tasks, or type a new task title</source>
            <translation>タスクを検索、または新しいタスク名を入力</translation>
        </message>
        <message>
            <source>New tasks go to:</source>
            <translation>新しいタスクの作成先：</translation>
        </message>
        <message>
            <source>↑↓ choose · Enter start · Esc close</source>
            <translation>↑↓ で選択 · Enter で開始 · Esc で閉じる</translation>
        </message>
        <message>
            <source>Command</source>
            <translation>コマンド</translation>
        </message>
        <message>
            <source>None of your teams accepts new tasks</source>
            <translation>新しいタスクを作成できるチームがありません</translation>
        </message>
        <message>
            <source>Create a new task in %1</source>
            <translation>%1 に新しいタスクを作成</translation>
        </message>
        <message>
            <source>↑↓ choose · Enter create · Esc close</source>
            <translation>↑↓ で選択 · Enter で作成 · Esc で閉じる</translation>
        </message>
        <message>
            <source>↑↓ choose · Enter open · Esc close</source>
            <translation>↑↓ で選択 · Enter で開く · Esc で閉じる</translation>
        </message>
        <message>
            <source>↑↓ move · Enter choose · Esc close</source>
            <translation>↑↓ で移動 · Enter で決定 · Esc で閉じる</translation>
        </message>
        <message>
            <source>No task matches · ↓ then Enter to create it · Esc close</source>
            <translation>一致するタスクはありません · ↓ を押して Enter で新しいタスクを作成 · Esc で閉じる</translation>
        </message>
        <message>
            <source>No task matches · Esc close</source>
            <translation>一致するタスクはありません · Esc で閉じる</translation>
        </message>
        <message>
            <source>Create “%1”</source>
            <translation>「%1」を作成</translation>
        </message>
    </context>
    <context>
        <name>PaletteCommands</name>
        <message>
            <source>Today…</source>
            <translation>今日の作業記録…</translation>
        </message>
        <message>
            <source>Open the day's entries: see, fix and add</source>
            <translation>作業記録の確認・修正・追加</translation>
        </message>
        <message>
            <source>Pending changes (%1)</source>
            <translation>未送信の変更（%1）</translation>
        </message>
        <message>
            <source>What waits to be sent, and why</source>
            <translation>送信されていない変更とその理由</translation>
        </message>
    </context>
    <context>
        <name>PendingWindow</name>
        <message>
            <source>Pending changes - TimeCrowd Tray</source>
            <translation>未送信の変更 - TimeCrowd Tray</translation>
        </message>
        <message>
            <source>When</source>
            <translation>日時</translation>
        </message>
        <message>
            <source>Change</source>
            <translation>変更</translation>
        </message>
        <message>
            <source>Why it waits</source>
            <translation>送信されていない理由</translation>
        </message>
        <message>
            <source>Send now</source>
            <translation>今すぐ送信</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>閉じる</translation>
        </message>
        <message>
            <source>Changes not sent yet: %1. They are sent in order, with the times you gave, as soon as TimeCrowd answers.</source>
            <translation>未送信の変更：%1 件。TimeCrowd から応答があり次第、指定した時刻のまま順番に送信します。</translation>
        </message>
        <message>
            <source>Nothing is waiting: every change has been sent.</source>
            <translation>未送信の変更はありません。すべて送信済みです。</translation>
        </message>
    </context>
    <context>
        <name>QuitPrompt</name>
        <message>
            <source>Sign out</source>
            <translation>サインアウト</translation>
        </message>
        <message>
            <source>The timer is running: %1. Stop it before signing out?</source>
            <translation>「%1」を計測中です。サインアウトする前に停止しますか？</translation>
        </message>
        <message>
            <source>Quit</source>
            <translation>終了</translation>
        </message>
        <message>
            <source>The timer is running: %1. Stop it before quitting?</source>
            <translation>「%1」を計測中です。終了する前に停止しますか？</translation>
        </message>
        <message>
            <source>If you keep it running, TimeCrowd goes on counting on the server.</source>
            <translation>停止しない場合、TimeCrowd のサーバーで計測が続きます。</translation>
        </message>
        <message>
            <source>Stop now</source>
            <translation>今すぐ停止</translation>
        </message>
        <message>
            <source>Keep running</source>
            <translation>計測を続ける</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>キャンセル</translation>
        </message>
    </context>
    <context>
        <name>ReminderNotices</name>
        <message>
            <source>You are not tracking time.</source>
            <translation>計測していません。</translation>
        </message>
        <message>
            <source>Open the palette</source>
            <translation>タスクパレットを開く</translation>
        </message>
        <message>
            <source>You are not tracking time. Start %1?</source>
            <translation>計測していません。「%1」を開始しますか？</translation>
        </message>
        <message>
            <source>Start</source>
            <translation>開始</translation>
        </message>
        <message>
            <source>%1 has been running since %2. Still working on it?</source>
            <translation>「%1」を %2 から計測しています。まだ作業中ですか？</translation>
        </message>
        <message>
            <source>%1 has been running since %2. End it at %3, when you were last active?</source>
            <translation>「%1」を %2 から計測しています。最後に操作した %3 で終了しますか？</translation>
        </message>
        <message>
            <source>End at %1</source>
            <translation>%1 で終了</translation>
        </message>
        <message>
            <source>TimeCrowd</source>
            <translation>TimeCrowd</translation>
        </message>
        <message>
            <source>OK</source>
            <translation>OK</translation>
        </message>
        <message>
            <source>The timer changed meanwhile: nothing was done.</source>
            <translation>その間にタイマーの状態が変わったため、何もしていません。</translation>
        </message>
    </context>
    <context>
        <name>ReminderWindow</name>
        <message>
            <source>TimeCrowd</source>
            <translation>TimeCrowd</translation>
        </message>
        <message>
            <source>In 15 min</source>
            <translation>15 分後</translation>
        </message>
        <message>
            <source>In 1 hour</source>
            <translation>1 時間後</translation>
        </message>
        <message>
            <source>Not today</source>
            <translation>今日は通知しない</translation>
        </message>
        <message>
            <source>Dismiss</source>
            <translation>閉じる</translation>
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <source>Settings - TimeCrowd Tray</source>
            <translation>設定 - TimeCrowd Tray</translation>
        </message>
        <message>
            <source>Demo mode: connected to the built-in emulator at %1, not to this server. The server here applies when TimeCrowd Tray starts without --demo.</source>
            <translation>デモモード：内蔵のエミュレーター（%1）に接続しています。ここで指定するサーバーは、--demo を付けずに TimeCrowd Tray を起動したときに使われます。</translation>
        </message>
        <message>
            <source>A new server applies at once: TimeCrowd Tray leaves the current one (its sign-in stays saved) and signs in to the new server, or asks you to.</source>
            <translation>サーバーの変更はすぐに反映されます。TimeCrowd Tray は現在のサーバーから切り替え（そのサインイン情報は保存されたままです）、新しいサーバーにサインインします。保存されたサインイン情報がなければサインインを求めます。</translation>
        </message>
        <message>
            <source>TimeCrowd server:</source>
            <translation>TimeCrowd サーバー：</translation>
        </message>
        <message>
            <source>Start/stop shortcut:</source>
            <translation>開始・停止のショートカット：</translation>
        </message>
        <message>
            <source>Task palette shortcut:</source>
            <translation>タスクパレットのショートカット：</translation>
        </message>
        <message>
            <source> s</source>
            <translation> 秒</translation>
        </message>
        <message>
            <source>Check the server every:</source>
            <translation>サーバーの確認間隔：</translation>
        </message>
        <message>
            <source>Ask for a comment when the timer stops</source>
            <translation>タイマー停止時にコメントを入力する</translation>
        </message>
        <message>
            <source>Notify on every start and stop</source>
            <translation>開始・停止のたびに通知する</translation>
        </message>
        <message>
            <source>Errors and changes made elsewhere are always shown.</source>
            <translation>エラーと、別の場所で行われた変更は常に通知されます。</translation>
        </message>
        <message>
            <source>Start TimeCrowd Tray when I log in</source>
            <translation>ログイン時に TimeCrowd Tray を起動する</translation>
        </message>
        <message>
            <source>Behavior:</source>
            <translation>動作：</translation>
        </message>
        <message>
            <source>System default</source>
            <translation>システムの設定</translation>
        </message>
        <message>
            <source>Language:</source>
            <translation>言語：</translation>
        </message>
        <message>
            <source>Stored in %1</source>
            <translation>保存場所：%1</translation>
        </message>
        <message>
            <source>This is already the task palette shortcut: choose another one.</source>
            <translation>タスクパレットのショートカットと同じです。別の組み合わせを選んでください。</translation>
        </message>
        <message>
            <source>This is already the start/stop shortcut: choose another one.</source>
            <translation>開始・停止のショートカットと同じです。別の組み合わせを選んでください。</translation>
        </message>
        <message>
            <source>%1 was changed elsewhere to “%2” while you were editing it: OK saves your value, Cancel keeps the new one.</source>
            <translation>編集中に「%1」が別の場所で「%2」に変更されました。［OK］で入力中の値を保存し、［キャンセル］で新しい値のままにします。</translation>
        </message>
        <message>
            <source>Updated from the settings file: %1.</source>
            <translation>設定ファイルの変更を反映しました：%1。</translation>
        </message>
        <message>
            <source>, </source>
            <translation>、</translation>
        </message>
        <message>
            <source>The server URL must start with https:// (http:// only for 127.0.0.1, ::1 or localhost) and have no user name, password, query or fragment.</source>
            <translation>サーバーの URL は https:// で始めてください（http:// は 127.0.0.1、::1、localhost のみ）。ユーザー名、パスワード、クエリ、フラグメントは含められません。</translation>
        </message>
        <message>
            <source>A global shortcut needs at least one modifier (Ctrl, Alt, Shift or Meta) and a key.</source>
            <translation>グローバルショートカットには、1 つ以上の修飾キー（Ctrl、Alt、Shift、Meta）とほかのキーが 1 つ必要です。</translation>
        </message>
        <message>
            <source>This value is not valid.</source>
            <translation>この値は無効です。</translation>
        </message>
        <message>
            <source>Press the new shortcut in the field, or press Clear to turn it off.</source>
            <translation>欄をクリックして新しいショートカットを押すか、［クリア］でオフにしてください。</translation>
        </message>
        <message>
            <source>The two shortcuts must be different.</source>
            <translation>2 つのショートカットには異なるキーの組み合わせを指定してください。</translation>
        </message>
        <message>
            <source>Off</source>
            <translation>オフ</translation>
        </message>
        <message>
            <source>On</source>
            <translation>オン</translation>
        </message>
    </context>
    <context>
        <name>Shell</name>
        <message>
            <source>The running TimeCrowd Tray is signed in again.</source>
            <translation>起動中の TimeCrowd Tray も新しいサインイン情報でサインインしました。</translation>
        </message>
        <message>
            <source>The running TimeCrowd Tray is signed out too.</source>
            <translation>起動中の TimeCrowd Tray もサインアウトしました。</translation>
        </message>
        <message>
            <source>The running TimeCrowd Tray has the new sign-in; it signs in as soon as {api_base} answers.</source>
            <translation>起動中の TimeCrowd Tray は新しいサインイン情報を受け取りました。{api_base} が応答したらサインインします。</translation>
        </message>
        <message>
            <source>The running TimeCrowd Tray uses {app_base}, not {api_base}: its sign-in is unchanged.</source>
            <translation>起動中の TimeCrowd Tray は {api_base} ではなく {app_base} を使っているため、そちらのサインインは変わりません。</translation>
        </message>
        <message>
            <source>the running TimeCrowd Tray did not pick the new sign-in up ({reason}); choose Sign in in its menu, or quit and start it again</source>
            <translation>起動中の TimeCrowd Tray は新しいサインイン情報を読み込みませんでした（{reason}）。メニューの「サインイン…」を選ぶか、終了してから起動し直してください。</translation>
        </message>
        <message>
            <source>the running TimeCrowd Tray did not sign out ({reason}); choose Sign out in its menu</source>
            <translation>起動中の TimeCrowd Tray はサインアウトしませんでした（{reason}）。メニューの「サインアウト」を選んでください。</translation>
        </message>
        <message>
            <source>Paste your TimeCrowd access token: </source>
            <translation>TimeCrowd のアクセストークンを貼り付けてください：</translation>
        </message>
        <message>
            <source>user {id}</source>
            <translation>ユーザー {id}</translation>
        </message>
        <message>
            <source>no access token on standard input (try: timecrowd-tray login --with-token &lt; file)</source>
            <translation>標準入力にアクセストークンがありません（例：timecrowd-tray login --with-token &lt; file）。</translation>
        </message>
        <message>
            <source>{problem} Nothing was sent or stored.</source>
            <translation>{problem}（何も送信・保存していません）</translation>
        </message>
        <message>
            <source>--with-browser needs --client-id (your OAuth application's client id)</source>
            <translation>--with-browser には --client-id（OAuth アプリケーションのクライアント ID）が必要です。</translation>
        </message>
        <message>
            <source>no client secret on standard input</source>
            <translation>標準入力にクライアントシークレットがありません。</translation>
        </message>
        <message>
            <source>Open this address in your browser to sign in:</source>
            <translation>サインインするには、ブラウザーで次のアドレスを開いてください：</translation>
        </message>
        <message>
            <source>Waiting up to {seconds} s for the browser to come back (the OAuth application must allow the redirect URI http://127.0.0.1/callback) ...</source>
            <translation>ブラウザーからの応答を最大 {seconds} 秒待っています（OAuth アプリケーションでリダイレクト URI http://127.0.0.1/callback を許可しておく必要があります）…</translation>
        </message>
        <message>
            <source>Signed in to {api_base} as {name} ({email}).</source>
            <translation>{name} として {api_base} にサインインしました（{email}）。</translation>
        </message>
        <message>
            <source>Signed in to {api_base} as {name}.</source>
            <translation>{name} として {api_base} にサインインしました。</translation>
        </message>
        <message>
            <source>the running TimeCrowd Tray is not signed in (sign in from its menu, or: timecrowd-tray login --with-token)</source>
            <translation>起動中の TimeCrowd Tray はサインインしていません（メニューからサインインするか、timecrowd-tray login --with-token を実行してください）。</translation>
        </message>
        <message>
            <source>{name} ({email}) on {api_base} (the running TimeCrowd Tray)</source>
            <translation>起動中の TimeCrowd Tray は {name} として {api_base} にサインインしています（{email}）。</translation>
        </message>
        <message>
            <source>{name} on {api_base} (the running TimeCrowd Tray)</source>
            <translation>起動中の TimeCrowd Tray は {name} として {api_base} にサインインしています。</translation>
        </message>
        <message>
            <source>Client secret of your OAuth application: </source>
            <translation>OAuth アプリケーションのクライアントシークレット：</translation>
        </message>
        <message>
            <source>Signed out of {api_base}: the stored sign-in was deleted.</source>
            <translation>{api_base} からサインアウトしました。保存されていたサインイン情報を削除しました。</translation>
        </message>
        <message>
            <source>Not signed in to {api_base}: nothing was stored.</source>
            <translation>{api_base} にはサインインしていません。保存されたサインイン情報はありません。</translation>
        </message>
        <message>
            <source>not signed in to {api_base} (run: timecrowd-tray login --with-token)</source>
            <translation>{api_base} にサインインしていません（timecrowd-tray login --with-token を実行してください）。</translation>
        </message>
        <message>
            <source>{name} ({email}) on {api_base}</source>
            <translation>{name} として {api_base} にサインインしています（{email}）。</translation>
        </message>
        <message>
            <source>{name} on {api_base}</source>
            <translation>{name} として {api_base} にサインインしています。</translation>
        </message>
        <message>
            <source>{api_base} rejected this access token ({reason}); nothing was stored</source>
            <translation>{api_base} がこのアクセストークンを拒否しました（{reason}）。何も保存していません。</translation>
        </message>
        <message>
            <source>the sign-in stored for {api_base} is no longer accepted; sign in again (timecrowd-tray login --with-token)</source>
            <translation>{api_base} 用に保存されたサインイン情報は使えなくなりました。もう一度サインインしてください（timecrowd-tray login --with-token）。</translation>
        </message>
        <message>
            <source>it is still signed in</source>
            <translation>まだサインインしたままです</translation>
        </message>
        <message>
            <source>it is still signed out</source>
            <translation>まだサインインしていません</translation>
        </message>
        <message>
            <source>it refused the request</source>
            <translation>要求が拒否されました</translation>
        </message>
        <message>
            <source>unknown setting {key}; known settings: {keys}</source>
            <translation>{key} という設定はありません。設定できるのは {keys} です。</translation>
        </message>
        <message>
            <source># stored in {path}</source>
            <translation># 保存場所：{path}</translation>
        </message>
        <message>
            <source>note: the settings file {path} could not be read fully; it was written again without what could not be read (a copy of the old file: {copy})</source>
            <translation>注意：設定ファイル {path} の一部を読み取れなかったため、読み取れなかった部分を除いて書き直しました（元のファイルのコピー：{copy}）。</translation>
        </message>
        <message>
            <source>note: the running app did not apply this ({reason}); it applies it at its next start</source>
            <translation>注意：起動中のアプリはこの変更を反映しませんでした（{reason}）。次回の起動時に反映されます。</translation>
        </message>
        <message>
            <source>note: the running app was not told ({reason}); it applies this at its next start</source>
            <translation>注意：起動中のアプリに変更を伝えられませんでした（{reason}）。次回の起動時に反映されます。</translation>
        </message>
        <message>
            <source>invalid value {value} for {key}: {reason}</source>
            <translation>{key} に {value} は指定できません（{reason}）。</translation>
        </message>
        <message>
            <source>autostart: {reason}</source>
            <translation>ログイン時の起動を変更できませんでした（{reason}）。</translation>
        </message>
        <message>
            <source>autostart: {reason}; and the setting could not be put back: {problem}</source>
            <translation>ログイン時の起動を変更できませんでした（{reason}）。設定も元に戻せませんでした（{problem}）。</translation>
        </message>
        <message>
            <source>the server rejected the sign-in stored for {api_base} ({reason}); sign in again (timecrowd-tray login --with-token)</source>
            <translation>{api_base} 用に保存されたサインイン情報をサーバーが拒否しました（{reason}）。もう一度サインインしてください（timecrowd-tray login --with-token）。</translation>
        </message>
        <message>
            <source>TimeCrowd cannot be reached now</source>
            <translation>現在 TimeCrowd に接続できません。</translation>
        </message>
        <message>
            <source>the app is not signed in now (sign in again to send it)</source>
            <translation>アプリが現在サインインしていません（もう一度サインインすると送信されます）。</translation>
        </message>
        <message>
            <source>TimeCrowd has not confirmed it yet</source>
            <translation>TimeCrowd からの確認がまだありません。</translation>
        </message>
        <message>
            <source>task {id}</source>
            <translation>タスク {id}</translation>
        </message>
        <message>
            <source>{title} ({team})</source>
            <translation>{title}（{team}）</translation>
        </message>
        <message>
            <source>⏸ queued: started {task}; it will be sent with the time you asked ({at}): {why}</source>
            <translation>⏸ 未送信：「{task}」の開始（{at}）。この時刻のまま後から送信します。{why}</translation>
        </message>
        <message>
            <source>▶ started {task}</source>
            <translation>▶ 「{task}」を開始しました</translation>
        </message>
        <message>
            <source>▶ already running {task}</source>
            <translation>▶ 「{task}」はすでに計測中です</translation>
        </message>
        <message>
            <source>the comment was not added: {reason}</source>
            <translation>コメントを追加できませんでした（{reason}）。</translation>
        </message>
        <message>
            <source>interrupted</source>
            <translation>中断しました。</translation>
        </message>
        <message>
            <source>give either QUERY or --task ID, not both</source>
            <translation>QUERY と --task ID は同時に指定できません。どちらか一方を指定してください。</translation>
        </message>
        <message>
            <source>--comment needs some text</source>
            <translation>--comment にはコメントの本文を指定してください。</translation>
        </message>
        <message>
            <source>ignoring the app socket: {reason}</source>
            <translation>アプリのソケットを無視します（{reason}）。</translation>
        </message>
        <message>
            <source>TimeCrowd Tray is running but {reason}</source>
            <translation>TimeCrowd Tray は起動していますが、{reason}。</translation>
        </message>
        <message>
            <source>the running app refused the command</source>
            <translation>起動中のアプリがコマンドを拒否しました。</translation>
        </message>
        <message>
            <source>TimeCrowd Tray is not running: start it with `timecrowd-tray` (the palette needs the app)</source>
            <translation>TimeCrowd Tray が起動していません。`timecrowd-tray` で起動してください（タスクパレットにはアプリが必要です）。</translation>
        </message>
        <message>
            <source>■ not running (nothing to stop)</source>
            <translation>■ 計測していません（停止するタイマーはありません）</translation>
        </message>
        <message>
            <source>cannot reach {api_base}: {reason}</source>
            <translation>{reason}（サーバー：{api_base}）</translation>
        </message>
        <message>
            <source>(use --allow-overlap to start anyway)</source>
            <translation>（それでも開始するには --allow-overlap を付けてください）</translation>
        </message>
        <message>
            <source>TimeCrowd refused the start of “{task}”: {reason}</source>
            <translation>TimeCrowd が「{task}」の開始を拒否しました：{reason}</translation>
        </message>
        <message>
            <source>TimeCrowd refused the stop of “{task}”: {reason}</source>
            <translation>TimeCrowd が「{task}」の停止を拒否しました：{reason}</translation>
        </message>
        <message>
            <source>TimeCrowd refused the new start time of “{task}”: {reason}</source>
            <translation>TimeCrowd が「{task}」の開始時刻の変更を拒否しました：{reason}</translation>
        </message>
        <message>
            <source>TimeCrowd refused the start: {reason}</source>
            <translation>TimeCrowd が開始を拒否しました：{reason}</translation>
        </message>
        <message>
            <source>TimeCrowd refused the stop: {reason}</source>
            <translation>TimeCrowd が停止を拒否しました：{reason}</translation>
        </message>
        <message>
            <source>TimeCrowd refused the new start time: {reason}</source>
            <translation>TimeCrowd が開始時刻の変更を拒否しました：{reason}</translation>
        </message>
        <message>
            <source>TimeCrowd refused the new entry: {reason}</source>
            <translation>TimeCrowd が作業記録の追加を拒否しました：{reason}</translation>
        </message>
        <message>
            <source>TimeCrowd refused the change to the entry: {reason}</source>
            <translation>TimeCrowd が作業記録の変更を拒否しました：{reason}</translation>
        </message>
        <message>
            <source>TimeCrowd refused the deletion of the entry: {reason}</source>
            <translation>TimeCrowd が作業記録の削除を拒否しました：{reason}</translation>
        </message>
        <message>
            <source>⏸ queued: {task} is already running; its start will be moved to {since}: {why}</source>
            <translation>⏸ 未送信：「{task}」はすでに計測中です。開始時刻を {since} に変更します：{why}</translation>
        </message>
        <message>
            <source>▶ {task} was already running: its start is now {since}</source>
            <translation>▶ 「{task}」はすでに計測中でした。開始時刻を {since} に変更しました</translation>
        </message>
        <message>
            <source>⏸ queued: stopped {task}; it will be sent with the time you asked ({at}): {why}</source>
            <translation>⏸ 未送信：「{task}」の停止。操作した時刻（{at}）で後から送信します。{why}</translation>
        </message>
        <message>
            <source>⏸ queued: stopped; it will be sent with the time you asked ({at}): {why}</source>
            <translation>⏸ 未送信：停止。操作した時刻（{at}）で後から送信します。{why}</translation>
        </message>
        <message>
            <source>■ stopped</source>
            <translation>■ 停止しました</translation>
        </message>
        <message>
            <source>■ stopped {task} {elapsed}</source>
            <translation>■ 「{task}」を停止しました（{elapsed}）</translation>
        </message>
        <message>
            <source>■ stopped {task}</source>
            <translation>■ 「{task}」を停止しました</translation>
        </message>
        <message>
            <source>not an entry id: {value} (an id, or local-N from `log`)</source>
            <translation>{value} は作業記録の ID ではありません。ID か、「timecrowd-tray log」で表示される local-N を指定してください。</translation>
        </message>
        <message>
            <source>{start}–{end}</source>
            <translation>{start}〜{end}</translation>
        </message>
        <message>
            <source>▶ running</source>
            <translation>▶ 計測中</translation>
        </message>
        <message>
            <source>⏸ not sent yet</source>
            <translation>⏸ 未送信</translation>
        </message>
        <message>
            <source>{task} {span}</source>
            <translation>「{task}」{span}</translation>
        </message>
        <message>
            <source>total {total}</source>
            <translation>合計 {total}</translation>
        </message>
        <message>
            <source>⚠ the entries listed may be incomplete or out of date: they are what was read earlier, with the changes not sent yet on top</source>
            <translation>⚠ 表示した作業記録は、不足していたり古かったりする可能性があります。以前に読み込んだ内容に未送信の変更を反映したものです。</translation>
        </message>
        <message>
            <source>give the task: QUERY or --task ID</source>
            <translation>タスクを QUERY か --task ID で指定してください。</translation>
        </message>
        <message>
            <source>nothing to change: give --from, --to, --task or --comment</source>
            <translation>変更する内容がありません。--from、--to、--task、--comment のいずれかを指定してください。</translation>
        </message>
        <message>
            <source>nothing to change: {entry}</source>
            <translation>{entry} に変更はありません</translation>
        </message>
        <message>
            <source>no entries on {day}</source>
            <translation>{day} の作業記録はありません</translation>
        </message>
        <message>
            <source>TimeCrowd Tray is not running: start it with `timecrowd-tray` (the entries window needs the app)</source>
            <translation>TimeCrowd Tray が起動していません。「timecrowd-tray」で起動してください（作業記録のウィンドウには起動中のアプリが必要です）。</translation>
        </message>
        <message>
            <source>A system-tray timer for TimeCrowd. Without a command, starts the tray app.</source>
            <translation>TimeCrowd 用のシステムトレイのタイマーです。コマンドを指定しないと、トレイのアプリを起動します。</translation>
        </message>
        <message>
            <source>TimeCrowd server (default: $TIMECROWD_API_BASE, the api_base setting, or https://timecrowd.net)</source>
            <translation>接続する TimeCrowd サーバー（省略時は $TIMECROWD_API_BASE、設定の api_base、https://timecrowd.net の順）</translation>
        </message>
        <message>
            <source>log at debug level (secrets are redacted)</source>
            <translation>ログをデバッグレベルで記録します（秘密情報は伏せます）</translation>
        </message>
        <message>
            <source>run against a built-in TimeCrowd emulator on 127.0.0.1 with demo data</source>
            <translation>127.0.0.1 で動く内蔵の TimeCrowd エミュレーターに、デモデータで接続します</translation>
        </message>
        <message>
            <source>sign in and keep the sign-in in the OS keyring</source>
            <translation>サインインして、サインイン情報をシステムのキーリングに保存します</translation>
        </message>
        <message>
            <source>Sign in to the TimeCrowd server and keep the sign-in in the OS keyring (one entry per server).</source>
            <translation>TimeCrowd サーバーにサインインし、サインイン情報をシステムのキーリングに保存します（サーバーごとに 1 件）。</translation>
        </message>
        <message>
            <source>read an access token from standard input</source>
            <translation>アクセストークンを標準入力から読み取ります</translation>
        </message>
        <message>
            <source>sign in in the browser with your own OAuth application (needs --client-id; the client secret is read from standard input)</source>
            <translation>自分の OAuth アプリケーションを使ってブラウザーでサインインします（--client-id が必要です。クライアントシークレットは標準入力から読み取ります）</translation>
        </message>
        <message>
            <source>your OAuth application's client id</source>
            <translation>OAuth アプリケーションのクライアント ID</translation>
        </message>
        <message>
            <source>how long to wait for the browser (default: 300)</source>
            <translation>ブラウザーでのサインインを待つ秒数（既定値：300）</translation>
        </message>
        <message>
            <source>with --with-browser: print the address to open instead of opening it</source>
            <translation>--with-browser のとき：ブラウザーを開かずに、開くアドレスを表示します</translation>
        </message>
        <message>
            <source>delete the stored sign-in for the server</source>
            <translation>サーバー用に保存されたサインイン情報を削除します</translation>
        </message>
        <message>
            <source>Delete the sign-in stored in the OS keyring for the server.</source>
            <translation>システムのキーリングに保存されている、サーバー用のサインイン情報を削除します。</translation>
        </message>
        <message>
            <source>show the signed-in account</source>
            <translation>サインインしているアカウントを表示します</translation>
        </message>
        <message>
            <source>Show the account the stored sign-in belongs to.</source>
            <translation>保存されているサインイン情報のアカウントを表示します。</translation>
        </message>
        <message>
            <source>TimeCrowd server URL (https, or http on loopback)</source>
            <translation>TimeCrowd サーバーの URL（https、またはループバックアドレスへの http）</translation>
        </message>
        <message>
            <source>global shortcut: start/stop the timer</source>
            <translation>タイマーの開始・停止のグローバルショートカット</translation>
        </message>
        <message>
            <source>global shortcut: open the task palette</source>
            <translation>タスクパレットを開くグローバルショートカット</translation>
        </message>
        <message>
            <source>seconds between checks of the running entry</source>
            <translation>計測中の作業記録をサーバーに確認する間隔（秒）</translation>
        </message>
        <message>
            <source>ask for a comment when the timer stops</source>
            <translation>タイマーの停止時にコメントの入力を求めるかどうか</translation>
        </message>
        <message>
            <source>also notify on your own starts/stops (errors and changes made elsewhere are always shown)</source>
            <translation>自分の開始・停止も通知するかどうか（エラーと、別の場所で行われた変更は常に通知します）</translation>
        </message>
        <message>
            <source>user interface language: system, ja or en</source>
            <translation>表示言語（system、ja、en のいずれか）</translation>
        </message>
        <message>
            <source>start TimeCrowd Tray at login</source>
            <translation>ログイン時に TimeCrowd Tray を起動するかどうか</translation>
        </message>
        <message>
            <source>ask what to do with the time away after this many minutes without input (0: off)</source>
            <translation>入力がないまま何分たったら、離席時間の扱いを尋ねるか（0 でオフ）</translation>
        </message>
        <message>
            <source>remind to start the timer after this many active minutes not tracking (0: off)</source>
            <translation>計測せずに何分操作したら、タイマーの開始忘れを通知するか（0 でオフ）</translation>
        </message>
        <message>
            <source>working hours for reminders, such as 09:00-18:00</source>
            <translation>通知する勤務時間（例：09:00-18:00）</translation>
        </message>
        <message>
            <source>working days for reminders, such as mon-fri</source>
            <translation>通知する勤務日（例：mon-fri）</translation>
        </message>
        <message>
            <source>offer to end a timer running longer than this many hours (0: only across the night)</source>
            <translation>タイマーが何時間を超えて計測中なら終了を提案するか（0 なら日をまたいだときだけ）</translation>
        </message>
        <message>
            <source>; </source>
            <translation>。</translation>
        </message>
        <message>
            <source>show or change settings (list, get KEY, set KEY VALUE, reset KEY)</source>
            <translation>設定を表示・変更します（list、get KEY、set KEY VALUE、reset KEY）</translation>
        </message>
        <message>
            <source>every setting with its value (and where the file is)</source>
            <translation>すべての設定とその値を表示します（設定ファイルの場所も）</translation>
        </message>
        <message>
            <source>print one setting's value</source>
            <translation>1 つの設定の値を表示します</translation>
        </message>
        <message>
            <source>validate and store a value</source>
            <translation>値を検証して保存します</translation>
        </message>
        <message>
            <source>the new value (an empty string turns a shortcut off)</source>
            <translation>新しい値（ショートカットは空の文字列でオフになります）</translation>
        </message>
        <message>
            <source>go back to the default value</source>
            <translation>既定値に戻します</translation>
        </message>
        <message>
            <source>{key}: {help}</source>
            <translation>{key}：{help}</translation>
        </message>
        <message>
            <source>Show or change the settings the tray's settings dialog edits. Keys: {keys}</source>
            <translation>トレイの設定ウィンドウで変更できる設定を表示・変更します。キーは次のとおりです。{keys}。</translation>
        </message>
        <message>
            <source>start the most recent task, or stop the running one</source>
            <translation>前回のタスクを開始するか、計測中のタスクを停止します</translation>
        </message>
        <message>
            <source>Idle: start the most recent task. Running: stop it (the running app then asks for a comment when that setting is on). Bind a desktop shortcut to this command where global shortcuts do not work.</source>
            <translation>計測していなければ前回のタスクを開始し、計測中なら停止します（その設定がオンなら、起動中のアプリがコメントを尋ねます）。グローバルショートカットが使えない環境では、このコマンドをデスクトップのショートカットに割り当ててください。</translation>
        </message>
        <message>
            <source>start a task (the best match of QUERY, or --task ID, or the most recent one)</source>
            <translation>タスクを開始します（QUERY に最もよく一致するタスク、--task ID のタスク、または前回のタスク）</translation>
        </message>
        <message>
            <source>Start timing a task: the best fuzzy match of QUERY among recent tasks (then the server's suggestions), the task with --task ID, or without either the most recent task.</source>
            <translation>タスクの計測を開始します。QUERY を指定すると、最近のタスク（見つからなければサーバーの候補）からあいまい検索で最もよく一致するタスクを、--task ID を指定するとそのタスクを、どちらも指定しなければ前回のタスクを開始します。</translation>
        </message>
        <message>
            <source>words of the task's title</source>
            <translation>タスク名に含まれる語句</translation>
        </message>
        <message>
            <source>the task's id</source>
            <translation>タスクの ID</translation>
        </message>
        <message>
            <source>backdated: the time it started (HH:MM, 905, or -15m)</source>
            <translation>さかのぼって指定する開始時刻（HH:MM、905、-15m など）</translation>
        </message>
        <message>
            <source>with --at: start even when the time overlaps another entry</source>
            <translation>--at のとき：ほかの作業記録と重なっても開始します</translation>
        </message>
        <message>
            <source>stop the running timer</source>
            <translation>計測中のタイマーを停止します</translation>
        </message>
        <message>
            <source>Stop the running timer, optionally adding a comment to the entry.</source>
            <translation>計測中のタイマーを停止します。作業記録にコメントを追加することもできます。</translation>
        </message>
        <message>
            <source>add this comment to the stopped entry</source>
            <translation>停止した作業記録にこのコメントを追加します</translation>
        </message>
        <message>
            <source>show what is being timed (--json for status bars)</source>
            <translation>タイマーの状態を表示します（ステータスバーには --json）</translation>
        </message>
        <message>
            <source>Print the timer's state: one line, or with --json one JSON object for status bars (waybar, polybar, i3blocks). Exits 0 whenever it could tell the state.</source>
            <translation>タイマーの状態を 1 行で表示します。--json を付けると、ステータスバー（waybar、polybar、i3blocks）向けに JSON オブジェクトを 1 つ出力します。状態がわかれば、終了コードは常に 0 です。</translation>
        </message>
        <message>
            <source>print one JSON object</source>
            <translation>JSON オブジェクトを 1 つ出力します</translation>
        </message>
        <message>
            <source>open the running app's task palette</source>
            <translation>起動中のアプリのタスクパレットを開きます</translation>
        </message>
        <message>
            <source>Open the task palette of the running app.</source>
            <translation>起動中のアプリでタスクパレットを開きます。</translation>
        </message>
        <message>
            <source>list a day's entries (--json for scripts)</source>
            <translation>1 日の作業記録を一覧表示します（スクリプトには --json）</translation>
        </message>
        <message>
            <source>Print the entries of a day (default today, in your TimeCrowd time zone), with the changes not sent yet on top, and the day's total.</source>
            <translation>指定した日（既定値は TimeCrowd のタイムゾーンでの今日）の作業記録を表示します。未送信の変更を先頭に並べ、その日の合計も表示します。</translation>
        </message>
        <message>
            <source>YYYY-MM-DD, today (default) or yesterday</source>
            <translation>YYYY-MM-DD、today（既定値）、yesterday のいずれか</translation>
        </message>
        <message>
            <source>print a JSON list of the entries</source>
            <translation>作業記録を JSON のリストで出力します</translation>
        </message>
        <message>
            <source>add a forgotten entry: a task, from, to</source>
            <translation>付け忘れた作業記録を追加します（タスク、開始時刻、終了時刻）</translation>
        </message>
        <message>
            <source>Add a finished entry for a task (the best match of QUERY, or --task ID).</source>
            <translation>終了した作業記録を追加します。タスクは、QUERY に最もよく一致するタスクか、--task ID のタスクです。</translation>
        </message>
        <message>
            <source>when it started</source>
            <translation>開始時刻</translation>
        </message>
        <message>
            <source>when it ended</source>
            <translation>終了時刻</translation>
        </message>
        <message>
            <source>a comment on the entry</source>
            <translation>作業記録のコメント</translation>
        </message>
        <message>
            <source>change an entry's start, end, task or comment</source>
            <translation>作業記録の開始時刻、終了時刻、タスク、コメントを変更します</translation>
        </message>
        <message>
            <source>Change the given fields of the entry ENTRY_ID (the running one's start and comment too).</source>
            <translation>作業記録 ENTRY_ID の、指定した項目を変更します（計測中の作業記録も、開始時刻とコメントを変更できます）。</translation>
        </message>
        <message>
            <source>the id `log` shows (local-N: an add not sent yet)</source>
            <translation>「timecrowd-tray log」に表示される ID（local-N は未送信の追加）</translation>
        </message>
        <message>
            <source>its new start (9:05, 905, -15m)</source>
            <translation>新しい開始時刻（9:05、905、-15m など）</translation>
        </message>
        <message>
            <source>its new end</source>
            <translation>新しい終了時刻</translation>
        </message>
        <message>
            <source>its new task</source>
            <translation>新しいタスクの ID</translation>
        </message>
        <message>
            <source>its new comment</source>
            <translation>新しいコメント</translation>
        </message>
        <message>
            <source>delete an entry</source>
            <translation>作業記録を削除します</translation>
        </message>
        <message>
            <source>Delete the entry ENTRY_ID.</source>
            <translation>作業記録 ENTRY_ID を削除します。</translation>
        </message>
        <message>
            <source>print the answer as JSON</source>
            <translation>結果を JSON で出力します</translation>
        </message>
        <message>
            <source>open the running app's entries window</source>
            <translation>起動中のアプリの作業記録のウィンドウを開きます</translation>
        </message>
        <message>
            <source>Open the entries window of the running app.</source>
            <translation>起動中のアプリで作業記録のウィンドウを開きます。</translation>
        </message>
        <message>
            <source>keep it even when it overlaps another entry</source>
            <translation>ほかの作業記録と重なっても保存します</translation>
        </message>
        <message>
            <source>⏸ queued: add {entry}; it will be sent as you typed it: {why}</source>
            <translation>⏸ 未送信：{entry} の追加。入力した内容で後から送信します。{why}</translation>
        </message>
        <message>
            <source>⏸ queued: change {entry}; it will be sent as you typed it: {why}</source>
            <translation>⏸ 未送信：{entry} の変更。入力した内容で後から送信します。{why}</translation>
        </message>
        <message>
            <source>⏸ queued: delete {entry}; it will be sent: {why}</source>
            <translation>⏸ 未送信：{entry} の削除。後から送信します。{why}</translation>
        </message>
        <message>
            <source>+ added {entry}</source>
            <translation>+ {entry} を追加しました</translation>
        </message>
        <message>
            <source>✎ changed {entry}</source>
            <translation>✎ {entry} を変更しました</translation>
        </message>
        <message>
            <source>✕ deleted {entry}</source>
            <translation>✕ {entry} を削除しました</translation>
        </message>
        <message>
            <source>usage: </source>
            <translation>使い方：</translation>
        </message>
        <message>
            <source>positional arguments</source>
            <translation>引数</translation>
        </message>
        <message>
            <source>options</source>
            <translation>オプション</translation>
        </message>
        <message>
            <source>show this help message and exit</source>
            <translation>このヘルプを表示して終了します</translation>
        </message>
        <message>
            <source>show program's version number and exit</source>
            <translation>バージョンを表示して終了します</translation>
        </message>
        <message>
            <source>%(heading)s:</source>
            <translation>%(heading)s：</translation>
        </message>
        <message>
            <source>%(prog)s: error: %(message)s</source>
            <translation>%(prog)s: %(message)s</translation>
        </message>
        <message>
            <source>argument %(argument_name)s: %(message)s</source>
            <translation>引数 %(argument_name)s：%(message)s</translation>
        </message>
        <message>
            <source>the following arguments are required: %s</source>
            <translation>%s を指定してください。</translation>
        </message>
        <message>
            <source>one of the arguments %s is required</source>
            <translation>%s のいずれかを指定してください。</translation>
        </message>
        <message>
            <source>unrecognized arguments: %s</source>
            <translation>「%s」という引数はありません。</translation>
        </message>
        <message>
            <source>expected one argument</source>
            <translation>値を 1 つ指定してください。</translation>
        </message>
        <message>
            <source>expected at most one argument</source>
            <translation>値は 1 つまでしか指定できません。</translation>
        </message>
        <message>
            <source>expected at least one argument</source>
            <translation>値を 1 つ以上指定してください。</translation>
        </message>
        <message>
            <source>expected %s argument</source>
            <translation>値を %s 個指定してください。</translation>
        </message>
        <message>
            <source>invalid choice: %(value)r (choose from %(choices)s)</source>
            <translation>%(value)r は指定できません。%(choices)s のいずれかを指定してください。</translation>
        </message>
        <message>
            <source>invalid choice: %(value)r, maybe you meant %(closest)r? (choose from %(choices)s)</source>
            <translation>%(value)r は指定できません。%(closest)r のことですか？%(choices)s のいずれかを指定してください。</translation>
        </message>
        <message>
            <source>invalid %(type)s value: %(value)r</source>
            <translation>%(value)r は %(type)s の値として読み取れません。</translation>
        </message>
        <message>
            <source>ambiguous option: %(option)s could match %(matches)s</source>
            <translation>%(option)s だけでは %(matches)s のどれか決められません。</translation>
        </message>
        <message>
            <source>not allowed with argument %s</source>
            <translation>%s と同時には指定できません。</translation>
        </message>
        <message>
            <source>ignored explicit argument %r</source>
            <translation>%r という値は指定できません。</translation>
        </message>
        <message>
            <source>unknown parser %(parser_name)r (choices: %(choices)s)</source>
            <translation>%(parser_name)r というコマンドはありません。%(choices)s のいずれかを指定してください。</translation>
        </message>
        <message>
            <source>not signed in: sign in from the tray menu or with `timecrowd-tray login`</source>
            <translation>サインインしていません。トレイのメニューか `timecrowd-tray login` でサインインしてください</translation>
        </message>
        <message>
            <source>nothing was done: sign in first</source>
            <translation>何もしていません。先にサインインしてください</translation>
        </message>
        <message>
            <source>nothing was done</source>
            <translation>何もしていません</translation>
        </message>
        <message>
            <source>TimeCrowd refused it</source>
            <translation>TimeCrowd に拒否されました</translation>
        </message>
        <message>
            <source>no recent task to start: use `timecrowd-tray start QUERY`</source>
            <translation>開始できる最近のタスクがありません。`timecrowd-tray start QUERY` で指定してください</translation>
        </message>
        <message>
            <source>not a task id: {value}</source>
            <translation>タスク ID ではありません：{value}</translation>
        </message>
        <message>
            <source>cannot look the task up on TimeCrowd now ({reason}); nothing was started</source>
            <translation>今は TimeCrowd でタスクを検索できません（{reason}）。何も開始していません。</translation>
        </message>
        <message>
            <source>TimeCrowd did not answer within {seconds} s to look the task up; nothing was started</source>
            <translation>TimeCrowd から {seconds} 秒以内に応答がなかったため、タスクを検索できませんでした。何も開始していません。</translation>
        </message>
        <message>
            <source>task {id} is not one of your teams' tasks</source>
            <translation>タスク {id} はあなたのチームのタスクではありません</translation>
        </message>
        <message>
            <source>no task matches {query}</source>
            <translation>{query} に一致するタスクはありません</translation>
        </message>
        <message>
            <source>no recent task to start: give a QUERY or --task ID</source>
            <translation>開始できる最近のタスクがありません。QUERY か --task ID を指定してください</translation>
        </message>
        <message>
            <source>TimeCrowd cannot be reached and what runs there is not known here; nothing was stopped</source>
            <translation>TimeCrowd に接続できず、計測中のタイマーがわからないため、何も停止していません</translation>
        </message>
        <message>
            <source>the timer is not running: the comment was not added</source>
            <translation>タイマーが計測中ではないため、コメントは追加していません</translation>
        </message>
        <message>
            <source>the comment is {length} characters long; the limit is {limit} (the timer was not stopped)</source>
            <translation>コメントが {length} 文字あります。上限は {limit} 文字です（タイマーは停止していません）</translation>
        </message>
        <message>
            <source>not a time: {value} (use 9:05, 905 or -15m)</source>
            <translation>{value} は時刻として読み取れません（9:05、905、-15m のように指定してください）</translation>
        </message>
        <message>
            <source>TimeCrowd did not answer within {seconds} s to look the task up; nothing was done</source>
            <translation>TimeCrowd から {seconds} 秒以内に応答がなかったため、タスクを検索できませんでした。何もしていません</translation>
        </message>
        <message>
            <source>cannot look the task up on TimeCrowd now ({reason}); nothing was done</source>
            <translation>今は TimeCrowd でタスクを検索できません（{reason}）。何もしていません</translation>
        </message>
        <message>
            <source>give a QUERY or --task ID</source>
            <translation>QUERY か --task ID を指定してください</translation>
        </message>
        <message>
            <source>the entries window needs the running app</source>
            <translation>作業記録のウィンドウには起動中のアプリが必要です</translation>
        </message>
        <message>
            <source>not a date: {value} (use YYYY-MM-DD, today or yesterday)</source>
            <translation>{value} は日付として読み取れません（YYYY-MM-DD、today、yesterday のいずれかを指定してください）</translation>
        </message>
        <message>
            <source>TimeCrowd did not answer within {seconds} s</source>
            <translation>TimeCrowd から {seconds} 秒以内に応答がありませんでした</translation>
        </message>
        <message>
            <source>an entry needs --from and --to</source>
            <translation>作業記録には --from と --to が必要です</translation>
        </message>
        <message>
            <source>there is no entry {id} on TimeCrowd</source>
            <translation>作業記録 {id} は TimeCrowd にありません</translation>
        </message>
        <message>
            <source>entry {id} cannot be read from TimeCrowd now; nothing was done</source>
            <translation>今は TimeCrowd から作業記録 {id} を読み込めません。何もしていません</translation>
        </message>
        <message>
            <source>not an entry id: {value}</source>
            <translation>{value} は作業記録の ID ではありません</translation>
        </message>
        <message>
            <source>local-{id} is not waiting here; if it was sent since, `timecrowd-tray log` lists it by its id</source>
            <translation>local-{id} という未送信の作業記録はありません。送信済みであれば、「timecrowd-tray log」で表示される ID を指定してください</translation>
        </message>
        <message>
            <source>the running entry is not known here yet; move its start with `timecrowd-tray edit ID --from HH:MM` (`timecrowd-tray log` shows its ID)</source>
            <translation>計測中の作業記録をまだ読み込めていません。`timecrowd-tray edit ID --from HH:MM` で開始時刻を変更してください（ID は `timecrowd-tray log` で確認できます）</translation>
        </message>
        <message>
            <source>not signed in</source>
            <translation>サインインしていません</translation>
        </message>
        <message>
            <source>unknown command {command}</source>
            <translation>不明なコマンドです：{command}</translation>
        </message>
        <message>
            <source>this app cannot apply changed settings</source>
            <translation>このアプリは変更された設定を反映できません</translation>
        </message>
        <message>
            <source>could not apply them: {reason}</source>
            <translation>設定を反映できませんでした（{reason}）</translation>
        </message>
        <message>
            <source>the running app is in demo mode, which never uses the keyring</source>
            <translation>起動中のアプリはデモモードのため、キーリングを使いません</translation>
        </message>
        <message>
            <source>the running app is still starting; try again in a moment</source>
            <translation>起動中のアプリはまだ準備中です。少ししてからもう一度お試しください</translation>
        </message>
        <message>
            <source>the server changed meanwhile</source>
            <translation>その間にサーバーが切り替わりました</translation>
        </message>
        <message>
            <source>a newer sign-in, a sign-out or a server switch came first</source>
            <translation>先に新しいサインイン、サインアウト、またはサーバーの切り替えが行われました</translation>
        </message>
        <message>
            <source>the sign-in failed ({name})</source>
            <translation>サインインに失敗しました（{name}）</translation>
        </message>
        <message>
            <source>{api_base} did not accept the stored sign-in</source>
            <translation>{api_base} が保存されたサインイン情報を受け付けませんでした</translation>
        </message>
        <message>
            <source>{what}: cannot reach the server ({name})</source>
            <translation>サーバーに接続できません：{what}、{name}</translation>
        </message>
        <message>
            <source>{what}: network error ({name})</source>
            <translation>ネットワークエラー：{what}、{name}</translation>
        </message>
        <message>
            <source>{what}: the server did not answer in time ({reason})</source>
            <translation>サーバーから時間内に応答がありません：{what}、{reason}</translation>
        </message>
        <message>
            <source>no complete answer in {seconds} s</source>
            <translation>{seconds} 秒以内に応答が完了しませんでした</translation>
        </message>
        <message>
            <source>{what}: HTTP {status}</source>
            <translation>HTTP {status}：{what}</translation>
        </message>
        <message>
            <source>{what}: HTTP {status}: the token was rejected</source>
            <translation>HTTP {status}、トークンが拒否されました：{what}</translation>
        </message>
        <message>
            <source>{what}: HTTP {status}: unexpected status</source>
            <translation>HTTP {status}、想定外のステータスです：{what}</translation>
        </message>
        <message>
            <source>{what}: the server's answer is not valid JSON ({kind})</source>
            <translation>サーバーの応答が JSON ではありません：{what}、{kind}</translation>
        </message>
        <message>
            <source>{what}: the server's answer is larger than {size}; it was not read</source>
            <translation>サーバーの応答が {size} を超えたため、読み込んでいません：{what}</translation>
        </message>
        <message>
            <source>the running app does not accept connections</source>
            <translation>接続を受け付けていません</translation>
        </message>
        <message>
            <source>the running app did not answer within {seconds} s</source>
            <translation>{seconds} 秒以内に応答がありませんでした</translation>
        </message>
        <message>
            <source>the running app closed the connection without answering</source>
            <translation>応答しないまま接続を閉じました</translation>
        </message>
        <message>
            <source>the running app's answer is too long</source>
            <translation>起動中のアプリの応答が長すぎます</translation>
        </message>
        <message>
            <source>the running app answered something that is not JSON</source>
            <translation>起動中のアプリの応答が JSON ではありません</translation>
        </message>
        <message>
            <source>the running app answered something that is not a JSON object</source>
            <translation>起動中のアプリの応答が JSON オブジェクトではありません</translation>
        </message>
        <message>
            <source>cannot connect to {path}: {reason}</source>
            <translation>{path} に接続できません（{reason}）</translation>
        </message>
        <message>
            <source>{path} belongs to another user (uid {uid}); not using it</source>
            <translation>{path} は別のユーザー（uid {uid}）のものなので使いません</translation>
        </message>
        <message>
            <source>cannot make the lock file {path}: {reason}</source>
            <translation>ロックファイル {path} を作成できません（{reason}）</translation>
        </message>
        <message>
            <source>cannot open the lock file {path}: {reason}</source>
            <translation>ロックファイル {path} を開けません（{reason}）</translation>
        </message>
        <message>
            <source>cannot lock {path}: the file keeps changing</source>
            <translation>{path} をロックできません（ファイルが変わり続けています）</translation>
        </message>
        <message>
            <source>cannot lock {path}: {reason}</source>
            <translation>{path} をロックできません（{reason}）</translation>
        </message>
        <message>
            <source>the lock file {path} is a symbolic link: not using it (remove it)</source>
            <translation>ロックファイル {path} はシンボリックリンクのため使いません（削除してください）</translation>
        </message>
        <message>
            <source>the lock file {path} is not a regular file: not using it (remove it)</source>
            <translation>ロックファイル {path} は通常のファイルではないため使いません（削除してください）</translation>
        </message>
        <message>
            <source>the lock file {path} belongs to another user (uid {uid}): not using it (remove it, or set XDG_RUNTIME_DIR to a private directory)</source>
            <translation>ロックファイル {path} は別のユーザー（uid {uid}）のものなので使いません（削除するか、XDG_RUNTIME_DIR を自分専用のディレクトリーに設定してください）</translation>
        </message>
        <message>
            <source>cannot create the mutex {name} (error {code})</source>
            <translation>ミューテックス {name} を作成できません（エラー {code}）</translation>
        </message>
        <message>
            <source>expected true or false</source>
            <translation>true か false を指定してください</translation>
        </message>
        <message>
            <source>expected a whole number of seconds</source>
            <translation>秒数を整数で指定してください</translation>
        </message>
        <message>
            <source>expected between {low} and {high} seconds</source>
            <translation>{low}〜{high} 秒の範囲で指定してください</translation>
        </message>
        <message>
            <source>expected one of: {values}</source>
            <translation>{values} のいずれかを指定してください</translation>
        </message>
        <message>
            <source>expected a shortcut such as Ctrl+Alt+T (or an empty value for none)</source>
            <translation>Ctrl+Alt+T のようなショートカットを指定してください（使わない場合は空の値）</translation>
        </message>
        <message>
            <source>expected a whole number of minutes (0: off)</source>
            <translation>分を整数で指定してください。0 にするとオフになります</translation>
        </message>
        <message>
            <source>expected a whole number of hours (0: off)</source>
            <translation>時間を整数で指定してください。0 にするとオフになります</translation>
        </message>
        <message>
            <source>expected between {low} and {high} minutes (0: off)</source>
            <translation>{low}〜{high} 分の範囲で指定してください。0 にするとオフになります</translation>
        </message>
        <message>
            <source>expected between {low} and {high} hours (0: off)</source>
            <translation>{low}〜{high} 時間の範囲で指定してください。0 にするとオフになります</translation>
        </message>
        <message>
            <source>expected working hours such as 09:00-18:00</source>
            <translation>勤務時間は 09:00-18:00 のように指定してください</translation>
        </message>
        <message>
            <source>the end of the working hours must come after their start</source>
            <translation>勤務時間の終わりは始まりより後にしてください</translation>
        </message>
        <message>
            <source>expected days such as mon-fri or mon,wed,fri</source>
            <translation>勤務日は mon-fri や mon,wed,fri のように指定してください</translation>
        </message>
        <message>
            <source>expected at least one day, such as mon-fri</source>
            <translation>勤務日を 1 日以上、mon-fri のように指定してください</translation>
        </message>
        <message>
            <source>unknown modifier {name}: use Ctrl, Alt, Shift or Meta</source>
            <translation>{name} という修飾キーはありません。Ctrl、Alt、Shift、Meta のいずれかを使ってください</translation>
        </message>
        <message>
            <source>a global shortcut needs at least one modifier (Ctrl, Alt, Shift or Meta)</source>
            <translation>グローバルショートカットには修飾キー（Ctrl、Alt、Shift、Meta）が 1 つ以上必要です</translation>
        </message>
        <message>
            <source>the shortcut needs a key after its modifiers, such as Ctrl+Alt+T</source>
            <translation>ショートカットには修飾キーの後にキーが必要です（例：Ctrl+Alt+T）</translation>
        </message>
        <message>
            <source>not a valid URL: {detail}</source>
            <translation>有効な URL ではありません（{detail}）</translation>
        </message>
        <message>
            <source>the API server URL must start with https://</source>
            <translation>API サーバーの URL は https:// で始めてください</translation>
        </message>
        <message>
            <source>the API server URL has no host name</source>
            <translation>API サーバーの URL にホスト名がありません</translation>
        </message>
        <message>
            <source>the API server URL must not contain a user name or password</source>
            <translation>API サーバーの URL にはユーザー名やパスワードを含められません</translation>
        </message>
        <message>
            <source>the API server URL must not contain a query or a fragment</source>
            <translation>API サーバーの URL にはクエリやフラグメントを含められません</translation>
        </message>
        <message>
            <source>plain http:// is allowed only for loopback addresses (127.0.0.1, ::1, localhost); use https://</source>
            <translation>http:// を使えるのはループバックアドレス（127.0.0.1、::1、localhost）だけです。https:// を使ってください</translation>
        </message>
        <message>
            <source>api_base: {reason}</source>
            <translation>{reason}</translation>
        </message>
        <message>
            <source>--api-base: {reason}</source>
            <translation>--api-base の値：{reason}</translation>
        </message>
        <message>
            <source>TIMECROWD_API_BASE: {reason}</source>
            <translation>環境変数 TIMECROWD_API_BASE の値：{reason}</translation>
        </message>
        <message>
            <source>cannot write the settings file {path} ({reason}); {key} was not changed</source>
            <translation>設定ファイル {path} に書き込めません（{reason}）。{key} は変更していません</translation>
        </message>
        <message>
            <source>cannot write the settings file {path} ({reason}); {key} was not reset</source>
            <translation>設定ファイル {path} に書き込めません（{reason}）。{key} は既定値に戻していません</translation>
        </message>
        <message>
            <source>Qt reports {status}</source>
            <translation>Qt の状態：{status}</translation>
        </message>
        <message>
            <source>it did not keep the value</source>
            <translation>値が保存されませんでした</translation>
        </message>
        <message>
            <source>cannot write the autostart entry {path}: {reason}</source>
            <translation>自動起動の項目 {path} を書き込めません（{reason}）</translation>
        </message>
        <message>
            <source>cannot remove the autostart entry {path}: {reason}</source>
            <translation>自動起動の項目 {path} を削除できません（{reason}）</translation>
        </message>
        <message>
            <source>cannot write {path}: {reason}</source>
            <translation>{path} を書き込めません（{reason}）</translation>
        </message>
        <message>
            <source>cannot remove {path}: {reason}</source>
            <translation>{path} を削除できません（{reason}）</translation>
        </message>
        <message>
            <source>cannot change {path}: {reason}</source>
            <translation>{path} を変更できません（{reason}）</translation>
        </message>
        <message>
            <source>No system keyring is available to keep your sign-in. Install and start a Secret Service provider such as GNOME Keyring (package gnome-keyring) or KWallet, then try again.</source>
            <translation>サインイン情報を保存できるシステムのキーリングがありません。GNOME Keyring（gnome-keyring パッケージ）や KWallet などの Secret Service プロバイダーをインストールして起動してから、もう一度お試しください。</translation>
        </message>
        <message>
            <source>Your system keyring is locked. Unlock it (log in to your desktop session, or open your keyring manager such as Passwords and Keys and unlock the login keyring), then try again.</source>
            <translation>システムのキーリングがロックされています。デスクトップにログインするか、「パスワードと鍵」などのキーリングの管理ツールで「ログイン」キーリングのロックを解除してから、もう一度お試しください。</translation>
        </message>
        <message>
            <source>Access to the system keyring was refused. Allow TimeCrowd Tray to use the keyring when your system asks, then try again.</source>
            <translation>システムのキーリングへのアクセスが拒否されました。システムから確認を求められたら TimeCrowd Tray によるキーリングの使用を許可して、もう一度お試しください。</translation>
        </message>
        <message>
            <source>The keyring did not answer within {seconds} s (is it waiting for an unlock prompt?). Unlock your keyring (log in to your desktop session, or open your keyring manager such as Passwords and Keys), or make sure it runs, then try again.</source>
            <translation>キーリングから {seconds} 秒以内に応答がありませんでした（ロック解除の確認を待っていませんか？）。デスクトップへのログインや「パスワードと鍵」などのキーリングの管理ツールでロックを解除するか、キーリングが動作していることを確認してから、もう一度お試しください。</translation>
        </message>
        <message>
            <source>The system keyring could not be used ({detail}). Try again.</source>
            <translation>システムのキーリングを使用できませんでした（{detail}）。もう一度お試しください。</translation>
        </message>
        <message>
            <source>The configured keyring backend ({name}) keeps secrets in a plain file, which TimeCrowd Tray refuses to use. Configure a system keyring (GNOME Keyring, KWallet, macOS Keychain or Windows Credential Locker) instead, for example by removing the PYTHON_KEYRING_BACKEND variable or the default-keyring line of keyringrc.cfg.</source>
            <translation>設定されているキーリングのバックエンド（{name}）は秘密情報を平文のファイルに保存するため、TimeCrowd Tray では使いません。代わりにシステムのキーリング（GNOME Keyring、KWallet、macOS のキーチェーン、Windows の資格情報マネージャー）を設定してください。たとえば環境変数 PYTHON_KEYRING_BACKEND か、keyringrc.cfg の default-keyring の行を削除します。</translation>
        </message>
        <message>
            <source>The keyring is disabled in your keyring configuration (null backend). Enable a system keyring such as GNOME Keyring or KWallet.</source>
            <translation>キーリングの設定でキーリングが無効になっています（null バックエンド）。GNOME Keyring や KWallet などのシステムのキーリングを有効にしてください。</translation>
        </message>
        <message>
            <source>The configured keyring backend ({name}) is not one TimeCrowd Tray trusts. Use a system keyring (GNOME Keyring, KWallet, macOS Keychain or Windows Credential Locker).</source>
            <translation>設定されているキーリングのバックエンド（{name}）は TimeCrowd Tray が信頼するものではありません。システムのキーリング（GNOME Keyring、KWallet、macOS のキーチェーン、Windows の資格情報マネージャー）を使ってください。</translation>
        </message>
        <message>
            <source>The keyring backend named in PYTHON_KEYRING_BACKEND or keyringrc.cfg cannot be used ({name}). Fix or remove that setting.</source>
            <translation>PYTHON_KEYRING_BACKEND または keyringrc.cfg で指定されたキーリングのバックエンドを使用できません（{name}）。その設定を修正するか削除してください。</translation>
        </message>
        <message>
            <source>The browser did not come back in time. Sign in again.</source>
            <translation>ブラウザーから時間内に応答がありませんでした。もう一度サインインしてください。</translation>
        </message>
        <message>
            <source>The browser came back with a sign-in this app did not start (the state did not match). Nothing was saved. Sign in again.</source>
            <translation>このアプリが開始していないサインインの応答がブラウザーから届きました（state が一致しません）。何も保存していません。もう一度サインインしてください。</translation>
        </message>
        <message>
            <source>The server refused the sign-in: {detail}</source>
            <translation>サーバーがサインインを拒否しました（{detail}）。</translation>
        </message>
        <message>
            <source>The browser came back without an authorization code.</source>
            <translation>ブラウザーから認可コードが返ってきませんでした。</translation>
        </message>
        <message>
            <source>The server did not accept the client id and secret. Check them on your TimeCrowd OAuth application page.</source>
            <translation>サーバーがクライアント ID とシークレットを受け付けませんでした。TimeCrowd の OAuth アプリケーションのページで確認してください。</translation>
        </message>
        <message>
            <source>The server refused the authorization (it expired, was revoked or was already used). Sign in again.</source>
            <translation>サーバーが認可を拒否しました（期限切れ、取り消し済み、または使用済みです）。もう一度サインインしてください。</translation>
        </message>
        <message>
            <source>The server refused the sign-in (HTTP {status}).</source>
            <translation>サーバーがサインインを拒否しました（HTTP {status}）。</translation>
        </message>
        <message>
            <source>The server refused the sign-in (HTTP {status}, {detail}).</source>
            <translation>サーバーがサインインを拒否しました（HTTP {status}、{detail}）。</translation>
        </message>
        <message>
            <source>The server's answer to the sign-in was not understood (HTTP {status}).</source>
            <translation>サインインに対するサーバーの応答を解釈できませんでした（HTTP {status}）。</translation>
        </message>
        <message>
            <source>The server's answer to the sign-in had no access token.</source>
            <translation>サインインに対するサーバーの応答にアクセストークンがありませんでした。</translation>
        </message>
        <message>
            <source>This is too long to be an access token (more than {limit} characters). Copy only the token itself.</source>
            <translation>アクセストークンにしては長すぎます（{limit} 文字を超えています）。トークンだけをコピーしてください。</translation>
        </message>
        <message>
            <source>answer the away prompt: keep, discard or continue</source>
            <translation>離席時間の確認に答えます（keep、discard、continue）</translation>
        </message>
        <message>
            <source>Answer the running app's prompt about time away from the computer: keep it, discard it (the entry ends when you left) or continue (it ends when you left and the same task starts now). Exits 1 when no away time waits for an answer.</source>
            <translation>コンピューターから離れていた時間についての、起動中のアプリの確認に答えます。keep は離席時間を含め、discard は離席時間を除きます（作業記録は離席した時刻で終わります）。continue は離席した時刻で作業記録を終え、同じタスクを今から開始します。回答を待つ離席時間がなければ、終了コード 1 で終了します。</translation>
        </message>
        <message>
            <source>kept the time away</source>
            <translation>離席時間を含めました</translation>
        </message>
        <message>
            <source>TimeCrowd Tray is not running: no away time waits for an answer</source>
            <translation>TimeCrowd Tray は起動していません。回答を待つ離席時間はありません。</translation>
        </message>
        <message>
            <source>no away time waits for an answer</source>
            <translation>回答を待つ離席時間はありません。</translation>
        </message>
        <message>
            <source>⏸ queued: the entry ends at {at}, when you left; it will be sent with that time</source>
            <translation>⏸ 未送信：作業記録は離席した {at} で終了します。その時刻で後から送信します。</translation>
        </message>
        <message>
            <source>the running entry changed since you left (on the web or another computer): nothing was done</source>
            <translation>離席中に、計測中の作業記録が別の場所で変わりました（Web や別のコンピューター）。何も変更していません。</translation>
        </message>
        <message>
            <source>■ the entry ended at {at}, when you left; ▶ the same task started now</source>
            <translation>■ 作業記録を離席した {at} で終了しました。▶ 同じタスクを今から開始しました</translation>
        </message>
        <message>
            <source>■ the entry ended at {at}, when you left</source>
            <translation>■ 作業記録を離席した {at} で終了しました</translation>
        </message>
        <message>
            <source>you stopped the timer after you left: nothing runs to continue; answer keep or discard</source>
            <translation>離席後にタイマーを停止したため、continue は使えません。keep か discard を指定してください。</translation>
        </message>
        <message>
            <source>the timer was stopped since you left (on the web or another computer): nothing was done</source>
            <translation>離席中に、タイマーが別の場所で停止されました（Web や別のコンピューター）。何も変更していません。</translation>
        </message>
        <message>
            <source>nothing was done: {reason}</source>
            <translation>何も変更していません（{reason}）。</translation>
        </message>
        <message>
            <source>TimeCrowd Tray is running but does not answer on its control socket; nothing was done (quit it or kill it, then try again)</source>
            <translation>TimeCrowd Tray は起動していますが、制御用ソケットに応答しません。何もしていません（終了するか強制終了してから、もう一度お試しください）。</translation>
        </message>
        <message>
            <source>TimeCrowd Tray is not running and {path} cannot be written ({reason}), so this command could not be kept until TimeCrowd has it; nothing was done</source>
            <translation>TimeCrowd Tray が起動しておらず、{path} に書き込めない（{reason}）ため、このコマンドを TimeCrowd に届くまで保持できません。何もしていません。</translation>
        </message>
        <message>
            <source>TimeCrowd Tray is not running and you are not signed in to {api_base} (run: timecrowd-tray login --with-token)</source>
            <translation>TimeCrowd Tray が起動しておらず、{api_base} にもサインインしていません（timecrowd-tray login --with-token を実行してください）。</translation>
        </message>
        <message>
            <source>cannot reach {api_base} ({reason}) and this computer has not been signed in to it before; nothing was done</source>
            <translation>{api_base} に接続できず（{reason}）、このコンピューターはまだこのサーバーにサインインしたことがありません。何もしていません。</translation>
        </message>
        <message>
            <source>{api_base} did not answer within {seconds} s and this computer has not been signed in to it before; nothing was done</source>
            <translation>{api_base} から {seconds} 秒以内に応答がなく、このコンピューターはまだこのサーバーにサインインしたことがありません。何もしていません。</translation>
        </message>
        <message>
            <source>the server rejected the sign-in for {api_base}: {reason}</source>
            <translation>サーバーが {api_base} のサインインを拒否しました（{reason}）。</translation>
        </message>
        <message>
            <source>gave up after {seconds} s: {api_base} (or the keyring) did not answer in time; try again later</source>
            <translation>{seconds} 秒待っても {api_base}（またはキーリング）から応答がなかったため、中止しました。しばらくしてからもう一度お試しください。</translation>
        </message>
        <message>
            <source>interrupted; nothing was stored</source>
            <translation>中断しました。何も保存していません。</translation>
        </message>
        <message>
            <source>invalid server URL: {reason}</source>
            <translation>サーバーの URL が無効です（{reason}）。</translation>
        </message>
        <message>
            <source>{api_base}: {reason}</source>
            <translation>{reason}（サーバー：{api_base}）</translation>
        </message>
        <message>
            <source> ({pending} waiting to sync)</source>
            <translation>（未送信の変更 {pending} 件）</translation>
        </message>
        <message>
            <source>■ not running</source>
            <translation>■ 計測していません</translation>
        </message>
        <message>
            <source>⚠ offline ▶ {task}</source>
            <translation>⚠ オフライン ▶ {task}</translation>
        </message>
        <message>
            <source>signed out</source>
            <translation>サインインしていません</translation>
        </message>
        <message>
            <source>⚠ offline</source>
            <translation>⚠ オフライン</translation>
        </message>
    </context>
    <context>
        <name>ShortcutField</name>
        <message>
            <source>Record</source>
            <translation>記録</translation>
        </message>
        <message>
            <source>Clear</source>
            <translation>クリア</translation>
        </message>
        <message>
            <source>“%1” cannot be a global shortcut. Use Ctrl, Alt or Meta (and Shift if you like) with a letter, a digit, a function key or Space.</source>
            <translation>「%1」はグローバルショートカットに使えません。Ctrl、Alt、Meta のいずれか（必要なら Shift も）と、英字、数字、ファンクションキー、Space のいずれかを組み合わせてください。</translation>
        </message>
        <message>
            <source>Press the keys…</source>
            <translation>キーを押してください…</translation>
        </message>
        <message>
            <source>Off</source>
            <translation>オフ</translation>
        </message>
        <message>
            <source>Esc: cancel. Backspace or Delete: turn this shortcut off.</source>
            <translation>Esc で取り消し、Backspace か Delete でこのショートカットをオフにします。</translation>
        </message>
        <message>
            <source>Click here, or press Record, then press the keys.</source>
            <translation>ここをクリックするか［記録］を押してから、キーを押してください。</translation>
        </message>
    </context>
    <context>
        <name>SignInWindow</name>
        <message>
            <source>Sign in - TimeCrowd Tray</source>
            <translation>サインイン - TimeCrowd Tray</translation>
        </message>
        <message>
            <source>The server no longer accepts your sign-in. Please sign in again.</source>
            <translation>サーバーがサインイン情報を受け付けなくなりました。もう一度サインインしてください。</translation>
        </message>
        <message>
            <source>Server: %1</source>
            <translation>サーバー：%1</translation>
        </message>
        <message>
            <source>Access token</source>
            <translation>アクセストークン</translation>
        </message>
        <message>
            <source>On the TimeCrowd website, open your OAuth applications, choose (or register) an application and press “New token”. Copy the token and paste it below.</source>
            <translation>TimeCrowd のウェブサイトで OAuth アプリケーションの一覧を開き、アプリケーションを選択（または登録）して「New token」を押してください。表示されたトークンをコピーし、下に貼り付けてください。</translation>
        </message>
        <message>
            <source>Open the token page</source>
            <translation>トークンのページを開く</translation>
        </message>
        <message>
            <source>Paste your access token</source>
            <translation>アクセストークンを貼り付けてください</translation>
        </message>
        <message>
            <source>Show</source>
            <translation>表示</translation>
        </message>
        <message>
            <source>Sign in</source>
            <translation>サインイン</translation>
        </message>
        <message>
            <source>Remember on this computer (OS keyring)</source>
            <translation>このコンピューターに保存する（システムのキーリング）</translation>
        </message>
        <message>
            <source>Try again</source>
            <translation>再試行</translation>
        </message>
        <message>
            <source>Use for this session only</source>
            <translation>今回のセッションだけ使う</translation>
        </message>
        <message>
            <source>Sign in with browser</source>
            <translation>ブラウザーでサインイン</translation>
        </message>
        <message>
            <source>For your own OAuth application: register http://127.0.0.1/callback as its redirect URI, then enter its client ID and secret.</source>
            <translation>ご自身の OAuth アプリケーションを使う場合は、リダイレクト URI に http://127.0.0.1/callback を登録し、クライアント ID とシークレットを入力してください。</translation>
        </message>
        <message>
            <source>Client ID</source>
            <translation>クライアント ID</translation>
        </message>
        <message>
            <source>Client secret</source>
            <translation>クライアントシークレット</translation>
        </message>
        <message>
            <source>Checking the token…</source>
            <translation>トークンを確認しています…</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>キャンセル</translation>
        </message>
        <message>
            <source>Finish signing in in your browser… (this window waits up to 5 minutes)</source>
            <translation>ブラウザーでサインインを完了してください…（このウィンドウは最大 5 分間待ちます）</translation>
        </message>
        <message>
            <source>Browser sign-in cancelled.</source>
            <translation>ブラウザーでのサインインをキャンセルしました。</translation>
        </message>
        <message>
            <source>Signed in as %1 (%2)</source>
            <translation>%1 としてサインイン（%2）</translation>
        </message>
        <message>
            <source>Signed in as %1</source>
            <translation>%1 としてサインイン</translation>
        </message>
        <message>
            <source>This access token belongs to %1 (%2). Press “Sign in” to use it.</source>
            <translation>このアクセストークンは %1 のものです（%2）。［サインイン］を押すと使えます。</translation>
        </message>
        <message>
            <source>This access token belongs to %1. Press “Sign in” to use it.</source>
            <translation>このアクセストークンは %1 のものです。［サインイン］を押すと使えます。</translation>
        </message>
        <message>
            <source>The server rejected this token. Check that you copied all of it.</source>
            <translation>サーバーがこのトークンを拒否しました。トークン全体をコピーしたか確認してください。</translation>
        </message>
        <message>
            <source>Cannot reach the server right now. Check your connection and try again.</source>
            <translation>現在サーバーに接続できません。接続を確認して、もう一度お試しください。</translation>
        </message>
        <message>
            <source>This is too long to be an access token (more than %1 characters). Copy only the token itself.</source>
            <translation>アクセストークンにしては長すぎます（%1 文字を超えています）。トークンだけをコピーしてください。</translation>
        </message>
        <message>
            <source>The access token contains a control character (for example NUL). Copy the token again from the TimeCrowd page.</source>
            <translation>アクセストークンに制御文字（NUL など）が含まれています。TimeCrowd のページからトークンをもう一度コピーしてください。</translation>
        </message>
        <message>
            <source>The access token contains a space or a line break. A token is one word: copy it again without them.</source>
            <translation>アクセストークンに空白か改行が含まれています。トークンはひと続きの文字列です。空白や改行を含めずにもう一度コピーしてください。</translation>
        </message>
        <message>
            <source>The access token contains a character that is not plain ASCII (for example a full-width letter or a typographic quote). Copy the token again from the TimeCrowd page.</source>
            <translation>アクセストークンに半角英数字・記号以外の文字（全角文字や装飾付きの引用符など）が含まれています。TimeCrowd のページからトークンをもう一度コピーしてください。</translation>
        </message>
        <message>
            <source>The access token is empty.</source>
            <translation>アクセストークンが入力されていません。</translation>
        </message>
        <message>
            <source>You can also use the sign-in for this session only.</source>
            <translation>［今回のセッションだけ使う］を押すと、保存せずにサインインすることもできます。</translation>
        </message>
        <message>
            <source>Could not open %1 in a browser. Copy the address into your browser.</source>
            <translation>%1 をブラウザーで開けませんでした。アドレスをコピーしてブラウザーに貼り付けてください。</translation>
        </message>
        <message>
            <source>The browser did not come back in time. Try again.</source>
            <translation>ブラウザーから時間内に応答がありませんでした。もう一度お試しください。</translation>
        </message>
        <message>
            <source>The browser came back with a sign-in this window did not start. Nothing was saved. Try again.</source>
            <translation>このウィンドウが開始していないサインインの応答がブラウザーから届きました。何も保存していません。もう一度お試しください。</translation>
        </message>
        <message>
            <source>The sign-in was refused in the browser.</source>
            <translation>ブラウザーでサインインが拒否されました。</translation>
        </message>
        <message>
            <source>The server refused the sign-in. Check the client ID and secret of your OAuth application.</source>
            <translation>サーバーがサインインを拒否しました。OAuth アプリケーションのクライアント ID とシークレットを確認してください。</translation>
        </message>
        <message>
            <source>The browser sign-in failed: %1</source>
            <translation>ブラウザーでのサインインに失敗しました：%1</translation>
        </message>
    </context>
    <context>
        <name>Timeline</name>
        <message>
            <source>Timeline of the day</source>
            <extracomment>TimeCrowd's category colours are numbers (1, 2, …): the palette they index, in order.</extracomment>
            <translation>この日のタイムライン</translation>
        </message>
        <message>
            <source>%1–%2</source>
            <translation>%1〜%2</translation>
        </message>
        <message>
            <source>Free %1–%2 (%3): click to add an entry</source>
            <translation>空き時間 %1〜%2（%3）：クリックすると作業記録を追加できます</translation>
        </message>
    </context>
    <context>
        <name>TimerService</name>
        <message>
            <source>Your TimeCrowd session has ended (the token expired or was revoked). Sign in again.</source>
            <translation>TimeCrowd のセッションが終了しました（トークンの期限切れまたは失効）。もう一度サインインしてください。</translation>
        </message>
        <message>
            <source>Sign in to TimeCrowd first.</source>
            <translation>先に TimeCrowd にサインインしてください。</translation>
        </message>
        <message>
            <source>Still loading your timer from TimeCrowd. Try again in a moment.</source>
            <translation>TimeCrowd からタイマーを読み込んでいます。少ししてからもう一度お試しください。</translation>
        </message>
        <message>
            <source>There is no recent task to start yet. Pick a task first.</source>
            <translation>開始できる最近のタスクがまだありません。先にタスクを選んでください。</translation>
        </message>
        <message>
            <source>This task has no team, so it cannot be started.</source>
            <translation>このタスクにはチームがないため開始できません。</translation>
        </message>
        <message>
            <source>A task needs a title.</source>
            <translation>タスク名を入力してください。</translation>
        </message>
        <message>
            <source>The comment is empty: nothing was added.</source>
            <translation>コメントが空のため、何も追加していません。</translation>
        </message>
        <message>
            <source>A comment can be at most {limit} characters long (this one has {length}).</source>
            <translation>コメントは {limit} 文字以内にしてください（現在 {length} 文字）。</translation>
        </message>
        <message>
            <source>This was not sent because the timer it belongs to could not be started.</source>
            <translation>対象のタイマーを開始できなかったため、送信しませんでした。</translation>
        </message>
        <message>
            <source>This comment was not added because the stop it came with was refused.</source>
            <translation>一緒に行った停止が拒否されたため、このコメントは追加していません。</translation>
        </message>
        <message>
            <source>This was not sent because the time entry it belongs to is no longer known.</source>
            <translation>対象の作業記録が見つからなくなったため、送信しませんでした。</translation>
        </message>
        <message>
            <source>The start you made offline was not sent: a timer was started elsewhere after it. Check your entries on TimeCrowd.</source>
            <translation>オフライン中に行った開始は送信しませんでした。その後、別の場所でタイマーが開始されています。TimeCrowd で作業記録を確認してください。</translation>
        </message>
        <message>
            <source>TimeCrowd refused this request (HTTP {status}).</source>
            <translation>TimeCrowd がこのリクエストを拒否しました（HTTP {status}）。</translation>
        </message>
        <message>
            <source>The end is before the start.</source>
            <translation>終了が開始より前です。</translation>
        </message>
        <message>
            <source>The entry has no length: its end is its start.</source>
            <translation>終了が開始と同じ時刻で、作業記録の長さがありません。</translation>
        </message>
        <message>
            <source>The end is in the future.</source>
            <translation>終了が未来の時刻です。</translation>
        </message>
        <message>
            <source>The start is in the future.</source>
            <translation>開始が未来の時刻です。</translation>
        </message>
        <message>
            <source>An entry can't be longer than 24 hours.</source>
            <translation>作業記録の長さは 24 時間までです。</translation>
        </message>
        <message>
            <source>This overlaps “{task}” ({start}–{end}).</source>
            <translation>「{task}」（{start}〜{end}）と重なっています。</translation>
        </message>
        <message>
            <source>This overlaps “{task}” (since {start}, still running).</source>
            <translation>「{task}」（{start} から計測中）と重なっています。</translation>
        </message>
        <message>
            <source>The running entry “{task}” started at {start}, after this time: edit its start or stop it first.</source>
            <translation>計測中の作業記録「{task}」はこの時刻より後の {start} に開始されています。先にその開始時刻を修正するか、停止してください。</translation>
        </message>
        <message>
            <source>Nothing to change.</source>
            <translation>変更する内容がありません。</translation>
        </message>
        <message>
            <source>This entry is not known here yet: reload the day and try again.</source>
            <translation>この作業記録はまだ読み込まれていません。この日を読み込み直してから、もう一度お試しください。</translation>
        </message>
        <message>
            <source>This entry no longer exists on TimeCrowd (it was deleted elsewhere). Nothing was changed.</source>
            <translation>この作業記録は TimeCrowd にもうありません（別の場所で削除されました）。何も変更していません。</translation>
        </message>
        <message>
            <source>Not changed: this entry was changed elsewhere meanwhile ({what}). Check it and try again if you still want your change.</source>
            <translation>変更していません。この作業記録はその間に別の場所で変更されました（{what}）。内容を確認し、それでも変更する場合はもう一度お試しください。</translation>
        </message>
        <message>
            <source>its start</source>
            <translation>開始時刻</translation>
        </message>
        <message>
            <source>its end</source>
            <translation>終了時刻</translation>
        </message>
        <message>
            <source>its task</source>
            <translation>タスク</translation>
        </message>
        <message>
            <source>its comment</source>
            <translation>コメント</translation>
        </message>
        <message>
            <source>, </source>
            <translation>、</translation>
        </message>
        <message>
            <source>Not all of this day's entries could be read: {reason}</source>
            <translation>この日の作業記録の一部を読み込めませんでした（{reason}）。</translation>
        </message>
        <message>
            <source>Add “{task}” {start}–{end}</source>
            <translation>「{task}」{start}〜{end} を追加</translation>
        </message>
        <message>
            <source>Change “{task}”</source>
            <translation>「{task}」を変更</translation>
        </message>
        <message>
            <source>Delete “{task}”</source>
            <translation>「{task}」を削除</translation>
        </message>
        <message>
            <source>Start “{task}” at {time}</source>
            <translation>{time} に「{task}」を開始</translation>
        </message>
        <message>
            <source>Stop “{task}” at {time}</source>
            <translation>{time} に「{task}」を停止</translation>
        </message>
        <message>
            <source>Comment on “{task}”</source>
            <translation>「{task}」にコメント</translation>
        </message>
        <message>
            <source>Create and start “{task}” at {time}</source>
            <translation>{time} に「{task}」を作成して開始</translation>
        </message>
        <message>
            <source>(an unknown task)</source>
            <translation>（不明なタスク）</translation>
        </message>
        <message>
            <source>waiting for the network</source>
            <translation>ネットワークの回復を待っています</translation>
        </message>
        <message>
            <source>waiting for sign-in</source>
            <translation>サインインを待っています</translation>
        </message>
        <message>
            <source>will be tried again: {reason}</source>
            <translation>もう一度送信します。{reason}</translation>
        </message>
        <message>
            <source>waiting to be sent</source>
            <translation>送信を待っています</translation>
        </message>
        <message>
            <source>Your action could not be saved on this computer (the disk refused the write), so it was not done. Check the free space and try again.</source>
            <translation>この操作をこのコンピューターに保存できなかったため（ディスクへの書き込みが拒否されました）、実行しませんでした。空き容量を確認して、もう一度お試しください。</translation>
        </message>
        <message>
            <source>TimeCrowd refused this: your account is not allowed to do it.</source>
            <translation>TimeCrowd がこの操作を拒否しました。このアカウントには実行する権限がありません。</translation>
        </message>
        <message>
            <source>TimeCrowd no longer has what this was about (it may have been deleted).</source>
            <translation>対象のデータが TimeCrowd に見つかりません（削除された可能性があります）。</translation>
        </message>
        <message>
            <source>TimeCrowd did not accept this change.</source>
            <translation>TimeCrowd がこの変更を受け付けませんでした。</translation>
        </message>
        <message>
            <source>TimeCrowd is receiving too many requests. Try again in a moment.</source>
            <translation>TimeCrowd へのリクエストが多すぎます。少ししてからもう一度お試しください。</translation>
        </message>
        <message>
            <source>TimeCrowd has a problem right now (HTTP {status}). Try again later.</source>
            <translation>TimeCrowd で問題が発生しています（HTTP {status}）。しばらくしてからもう一度お試しください。</translation>
        </message>
        <message>
            <source>TimeCrowd cannot be reached. Check your connection.</source>
            <translation>TimeCrowd に接続できません。ネットワーク接続を確認してください。</translation>
        </message>
        <message>
            <source>TimeCrowd did not answer in time. Check your connection.</source>
            <translation>TimeCrowd から時間内に応答がありませんでした。ネットワーク接続を確認してください。</translation>
        </message>
        <message>
            <source>TimeCrowd's answer was not understood. Check the server address in Settings.</source>
            <translation>TimeCrowd からの応答を解釈できませんでした。設定のサーバーアドレスを確認してください。</translation>
        </message>
        <message>
            <source>Something went wrong while talking to TimeCrowd.</source>
            <translation>TimeCrowd との通信中に問題が発生しました。</translation>
        </message>
    </context>
    <context>
        <name>TrayMenu</name>
        <message>
            <source>Signed out</source>
            <translation>サインインしていません</translation>
        </message>
        <message>
            <source>Sign in…</source>
            <translation>サインイン…</translation>
        </message>
        <message>
            <source>What waits to be sent, and why</source>
            <translation>送信されていない変更とその理由</translation>
        </message>
        <message>
            <source>Settings…</source>
            <translation>設定…</translation>
        </message>
        <message>
            <source>Quit</source>
            <translation>終了</translation>
        </message>
        <message>
            <source>Loading your timer…</source>
            <translation>タイマーを読み込んでいます…</translation>
        </message>
        <message>
            <source>Not tracking</source>
            <translation>計測していません</translation>
        </message>
        <message>
            <source>Offline: changes are sent when TimeCrowd can be reached</source>
            <translation>オフライン：TimeCrowd に接続できたら変更を送信します</translation>
        </message>
        <message>
            <source>Stop</source>
            <translation>停止</translation>
        </message>
        <message>
            <source>Stop with comment…</source>
            <translation>コメントを付けて停止…</translation>
        </message>
        <message>
            <source>Start “%1”</source>
            <translation>「%1」を開始</translation>
        </message>
        <message>
            <source>Start…</source>
            <translation>開始…</translation>
        </message>
        <message>
            <source>Today…</source>
            <translation>今日の作業記録…</translation>
        </message>
        <message>
            <source>Open in TimeCrowd</source>
            <translation>TimeCrowd で開く</translation>
        </message>
        <message numerus="yes">
            <source>Pending changes (%n)</source>
            <translation>
                <numerusform>未送信の変更（%n）</numerusform>
            </translation>
        </message>
        <message>
            <source>Sign out</source>
            <translation>サインアウト</translation>
        </message>
        <message>
            <source>Recent tasks</source>
            <translation>最近のタスク</translation>
        </message>
        <message>
            <source>No recent tasks yet</source>
            <translation>最近のタスクはまだありません</translation>
        </message>
        <message>
            <source>starting…</source>
            <translation>開始中…</translation>
        </message>
        <message>
            <source>Today: %1</source>
            <translation>今日の合計：%1</translation>
        </message>
        <message>
            <source>Sign in to the demo</source>
            <translation>デモにサインイン</translation>
        </message>
        <message>
            <source>The demo has no web pages: its data lives only in the built-in emulator, not on TimeCrowd.</source>
            <translation>デモにはウェブページがありません。デモのデータは内蔵のエミュレーターにだけあり、TimeCrowd にはありません。</translation>
        </message>
        <message>
            <source>Demo: the built-in emulator (%1)</source>
            <translation>デモ：内蔵のエミュレーター（%1）</translation>
        </message>
    </context>
    <context>
        <name>Controls</name>
        <message>
            <source>Global shortcuts are not available on this desktop. Bind a desktop shortcut to the command “timecrowd-tray toggle” (and “timecrowd-tray palette”) instead: see the README, “Global shortcuts”.</source>
            <extracomment>The shortcuts, their setting keys, and what they call on the tray controller.</extracomment>
            <translation>このデスクトップではグローバルショートカットを使えません。代わりにデスクトップのショートカットにコマンド「timecrowd-tray toggle」（と「timecrowd-tray palette」）を割り当ててください。詳しくは README の「Global shortcuts」を参照してください。</translation>
        </message>
        <message>
            <source>This combination is already used by another application: choose another one.</source>
            <translation>このキーの組み合わせは他のアプリケーションが使用しています。別の組み合わせを選んでください。</translation>
        </message>
        <message>
            <source>This combination cannot be used: {reason}</source>
            <translation>このキーの組み合わせは使用できません：{reason}</translation>
        </message>
        <message>
            <source>No global shortcut on this desktop: bind a desktop shortcut to “{command}”.</source>
            <translation>このデスクトップではグローバルショートカットを使えません。デスクトップのショートカットにコマンド「{command}」を割り当ててください。</translation>
        </message>
        <message>
            <source>Not registered: {reason}</source>
            <translation>登録できませんでした：{reason}</translation>
        </message>
        <message>
            <source>Could not change “start at login”: {reason}</source>
            <translation>「ログイン時に TimeCrowd Tray を起動する」を変更できませんでした：{reason}</translation>
        </message>
        <message>
            <source>The shortcut {shortcut} is already used by another application, so it does nothing in TimeCrowd. Choose another one in Settings.</source>
            <extracomment>The shell's timer commands, carried out by the tray (as its shortcut would). {"toggle": "Ctrl+Alt+Shift+T", ...}: what is registered now. {"palette": "This combination is already used by another application: …"}: for the settings dialog.</extracomment>
            <translation>ショートカット {shortcut} は他のアプリケーションが使用しているため、TimeCrowd では動作しません。設定で別のショートカットを選んでください。</translation>
        </message>
        <message>
            <source>The shortcut {shortcut} cannot be used: {reason}</source>
            <translation>ショートカット {shortcut} は使用できません：{reason}</translation>
        </message>
    </context>
    <context>
        <name>App</name>
        <message>
            <source>Something went wrong ({error}). The details are in the log.</source>
            <translation>問題が発生しました（{error}）。詳細はログを確認してください。</translation>
        </message>
        <message>
            <source>Not signed in to the demo</source>
            <translation>デモにサインインしていません</translation>
        </message>
        <message>
            <source>Your saved sign-in could not be read</source>
            <translation>保存されたサインイン情報を読み込めませんでした</translation>
        </message>
        <message>
            <source>TimeCrowd Tray tries again in {seconds} seconds.</source>
            <translation>{seconds} 秒後に再試行します。</translation>
        </message>
        <message>
            <source>Not signed in to TimeCrowd</source>
            <translation>TimeCrowd にサインインしていません</translation>
        </message>
        <message>
            <source>Your actions are not saved on this computer</source>
            <translation>操作をこのコンピューターに保存できません</translation>
        </message>
        <message>
            <source>TimeCrowd Tray cannot write to {path} ({reason}). It keeps working, but the actions you make now are kept in memory only: those not yet sent to TimeCrowd are lost if you quit the app. Make the folder writable, then restart TimeCrowd Tray.</source>
            <translation>TimeCrowd Tray は {path} に書き込めません（{reason}）。動作は続けますが、これから行う操作はメモリーにだけ保持されるため、TimeCrowd にまだ送信していないものはアプリを終了すると失われます。フォルダーを書き込み可能にしてから、TimeCrowd Tray を再起動してください。</translation>
        </message>
        <message>
            <source>The actions already waiting there could not be counted. They stay there and are sent once the folder can be written.</source>
            <translation>そこにある未送信の変更の件数を数えられませんでした。変更はそのまま残り、フォルダーに書き込めるようになったら送信されます。</translation>
        </message>
        <message numerus="yes">
            <source>%n action(s) already waiting there stay there and are sent once the folder can be written.</source>
            <translation>
                <numerusform>そこにある %n 件の未送信の変更はそのまま残り、フォルダーに書き込めるようになったら送信されます。</numerusform>
            </translation>
        </message>
        <message>
            <source>The list of your unsent actions was damaged</source>
            <translation>未送信の変更の記録が壊れていました</translation>
        </message>
        <message>
            <source>The file keeping your actions until they reach TimeCrowd was damaged. A new one was started; the damaged one is kept at {path}.</source>
            <translation>未送信の変更を TimeCrowd に届くまで保存しておくファイルが壊れていました。新しいファイルで再開し、壊れたファイルは {path} に保管しています。</translation>
        </message>
        <message numerus="yes">
            <source>%n action(s) were recovered from it and will be sent.</source>
            <translation>
                <numerusform>そこから %n 件の未送信の変更を復元しました。これから送信します。</numerusform>
            </translation>
        </message>
        <message>
            <source>An unknown number of actions could not be read from it: they will not be sent.</source>
            <translation>そこから読み取れなかった変更があります（件数は不明）。それらは送信されません。</translation>
        </message>
        <message numerus="yes">
            <source>%n action(s) could not be read from it: they will not be sent.</source>
            <translation>
                <numerusform>そこから %n 件の変更を読み取れませんでした。それらは送信されません。</numerusform>
            </translation>
        </message>
        <message>
            <source>No action waiting to be sent was lost.</source>
            <translation>未送信の変更は失われていません。</translation>
        </message>
        <message>
            <source>Some of your unsent actions could not be read</source>
            <translation>未送信の変更の一部を読み取れませんでした</translation>
        </message>
        <message numerus="yes">
            <source>%n action(s) waiting to be sent could not be read: they will not be sent. They are kept for inspection in {path}.</source>
            <translation>
                <numerusform>未送信の変更 %n 件を読み取れませんでした。それらは送信されません。確認用に {path} に保管しています。</numerusform>
            </translation>
        </message>
        <message>
            <source>TimeCrowd Tray cannot write its cache</source>
            <translation>TimeCrowd Tray がキャッシュを書き込めません</translation>
        </message>
        <message>
            <source>TimeCrowd Tray cannot write to {path} ({reason}): your recent tasks and the running timer are not remembered for the next start. Everything else works.</source>
            <translation>TimeCrowd Tray は {path} に書き込めません（{reason}）。最近のタスクと計測中のタイマーは次回の起動時に引き継がれませんが、それ以外は通常どおり動作します。</translation>
        </message>
        <message>
            <source>Demo mode stays connected to the built-in emulator: the new server setting applies once TimeCrowd Tray is started without --demo.</source>
            <translation>デモモードでは内蔵のエミュレーターに接続したままです。新しいサーバーの設定は、--demo を付けずに TimeCrowd Tray を起動したときに反映されます。</translation>
        </message>
        <message>
            <source>Demo mode</source>
            <translation>デモモード</translation>
        </message>
        <message>
            <source>TimeCrowd Tray was started with {source}, which chooses the server: the new server setting applies once it is started without it.</source>
            <translation>TimeCrowd Tray は {source} を指定して起動されているため、サーバーはそちらで決まります。新しいサーバーの設定は、それを指定せずに起動したときに反映されます。</translation>
        </message>
    </context>
    <context>
        <name>TrayController</name>
        <message>
            <source>Signed out: click to sign in</source>
            <translation>サインインしていません：クリックしてサインイン</translation>
        </message>
        <message>
            <source>Loading your timer…</source>
            <translation>タイマーを読み込んでいます…</translation>
        </message>
        <message>
            <source>%1 (since %2)</source>
            <translation>%1（%2 から）</translation>
        </message>
        <message>
            <source>Not tracking: click to start “%1”</source>
            <translation>計測していません：クリックで「%1」を開始</translation>
        </message>
        <message>
            <source>Not tracking: click to choose a task</source>
            <translation>計測していません：クリックでタスクを選択</translation>
        </message>
        <message>
            <source>Offline</source>
            <translation>オフライン</translation>
        </message>
        <message numerus="yes">
            <source>%n change(s) waiting to be sent</source>
            <translation>
                <numerusform>未送信の変更が %n 件あります</numerusform>
            </translation>
        </message>
    </context>
</TS>
