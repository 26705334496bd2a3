<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja" sourcelanguage="en">
    <context>
        <name>CommentDialog</name>
        <message>
            <source>Comment - TimeCrowd Tray</source>
            <translation>コメント - TimeCrowd Tray</translation>
        </message>
        <message>
            <source>Stopped after %1</source>
            <translation>%1 で停止</translation>
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
        <name>Keyring</name>
        <message>
            <source>Your system keyring is locked. Unlock it (for example by logging in to your desktop or opening your keyring manager), then try again.</source>
            <translation>システムのキーリングがロックされています。ロックを解除してから（デスクトップにログインする、キーリングの管理ツールを開くなど）、もう一度お試しください。</translation>
        </message>
        <message>
            <source>Access to the system keyring was refused. Allow TimeCrowd Tray to use it when your system asks, then try again.</source>
            <translation>システムのキーリングへのアクセスが拒否されました。システムに尋ねられたら TimeCrowd Tray による使用を許可してから、もう一度お試しください。</translation>
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
        <name>Notifier</name>
        <message>
            <source>TimeCrowd</source>
            <translation>TimeCrowd</translation>
        </message>
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
    </context>
    <context>
        <name>Palette</name>
        <message>
            <source>Start a task - TimeCrowd Tray</source>
            <translation>タスクを開始 - TimeCrowd Tray</translation>
        </message>
        <message>
            <source>Search tasks, or type a new task title</source>
            <translation>タスクを検索、または新しいタスク名を入力</translation>
        </message>
        <message>
            <source>New tasks go to:</source>
            <translation>新しいタスクの作成先:</translation>
        </message>
        <message>
            <source>↑↓ choose · Enter start · Esc close</source>
            <translation>↑↓ 選択 · Enter 開始 · Esc 閉じる</translation>
        </message>
        <message>
            <source>Create a new task in %1</source>
            <translation>%1 に新しいタスクを作成</translation>
        </message>
        <message>
            <source>Create a new task</source>
            <translation>新しいタスクを作成</translation>
        </message>
        <message>
            <source>Create “%1”</source>
            <translation>「%1」を作成</translation>
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <source>Settings - TimeCrowd Tray</source>
            <translation>設定 - TimeCrowd Tray</translation>
        </message>
        <message>
            <source>TimeCrowd server:</source>
            <translation>TimeCrowd サーバー:</translation>
        </message>
        <message>
            <source>A new server applies at once: TimeCrowd Tray leaves the current one (its sign-in stays saved) and signs in to the new server, or asks you to.</source>
            <translation>サーバーの変更はすぐに反映されます。TimeCrowd Tray は現在のサーバーから切り替え（そのサインイン情報は保存されたままです）、新しいサーバーにサインインします。保存されたサインイン情報がなければサインインを求めます。</translation>
        </message>
        <message>
            <source>Start/stop shortcut:</source>
            <translation>開始/停止のショートカット:</translation>
        </message>
        <message>
            <source>Task palette shortcut:</source>
            <translation>タスクパレットのショートカット:</translation>
        </message>
        <message>
            <source> s</source>
            <translation> 秒</translation>
        </message>
        <message>
            <source>Check the server every:</source>
            <translation>サーバーの確認間隔:</translation>
        </message>
        <message>
            <source>Ask for a comment when the timer stops</source>
            <translation>タイマー停止時にコメントを入力する</translation>
        </message>
        <message>
            <source>Notify on every start and stop (errors are always shown)</source>
            <translation>開始・停止のたびに通知する（エラーは常に表示されます）</translation>
        </message>
        <message>
            <source>System default</source>
            <translation>システムの設定</translation>
        </message>
        <message>
            <source>Language:</source>
            <translation>言語:</translation>
        </message>
        <message>
            <source>Start TimeCrowd Tray when I log in</source>
            <translation>ログイン時に TimeCrowd Tray を起動する</translation>
        </message>
        <message>
            <source>Stored in %1</source>
            <translation>保存場所: %1</translation>
        </message>
        <message>
            <source>The server URL must start with https:// (http:// only for 127.0.0.1, ::1 or localhost) and have no user name, password, query or fragment.</source>
            <translation>サーバーの URL は https:// で始めてください（http:// は 127.0.0.1、::1、localhost のみ）。ユーザー名、パスワード、クエリ、フラグメントは含められません。</translation>
        </message>
        <message>
            <source>A global shortcut needs at least one modifier (Ctrl, Alt, Shift or Meta) and a key.</source>
            <translation>グローバルショートカットには修飾キー（Ctrl、Alt、Shift、Meta）を 1 つ以上とキーが必要です。</translation>
        </message>
        <message>
            <source>This value is not valid.</source>
            <translation>この値は無効です。</translation>
        </message>
        <message>
            <source>The two shortcuts must be different.</source>
            <translation>2 つのショートカットには別々のキーを指定してください。</translation>
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
            <translation>サーバー: %1</translation>
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
            <translation>このコンピューターに保存する（OS のキーリング）</translation>
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
            <translation>ご自身の OAuth アプリケーションを使う場合: リダイレクト URI に http://127.0.0.1/callback を登録し、クライアント ID とシークレットを入力してください。</translation>
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
            <source>Signed in as %1 (%2)</source>
            <translation>%1（%2）としてサインイン</translation>
        </message>
        <message>
            <source>Signed in as %1</source>
            <translation>%1 としてサインイン</translation>
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
            <translation>アクセストークンに半角英数字以外の文字（全角文字や装飾付きの引用符など）が含まれています。TimeCrowd のページからトークンをもう一度コピーしてください。</translation>
        </message>
        <message>
            <source>The access token is empty.</source>
            <translation>アクセストークンが入力されていません。</translation>
        </message>
        <message>
            <source>You can also use the sign-in for this session only.</source>
            <translation>または、今回のセッションだけサインインを使うこともできます。</translation>
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
            <translation>ブラウザーでのサインインに失敗しました: %1</translation>
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
            <translation>サインアウト中</translation>
        </message>
        <message>
            <source>Sign in…</source>
            <translation>サインイン…</translation>
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
            <translation>オフライン: TimeCrowd に接続できたら変更を送信します</translation>
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
            <source>Open in TimeCrowd</source>
            <translation>TimeCrowdで開く</translation>
        </message>
        <message numerus="yes">
            <source>Pending changes (%n)</source>
            <translation>
                <numerusform>未送信の変更 (%n)</numerusform>
            </translation>
        </message>
        <message>
            <source>Send them now</source>
            <translation>今すぐ送信</translation>
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
            <translation>今日の合計: %1</translation>
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
            <translation>このキーの組み合わせは使用できません: {reason}</translation>
        </message>
        <message>
            <source>No global shortcut on this desktop: bind a desktop shortcut to “{command}”.</source>
            <translation>このデスクトップではグローバルショートカットを使えません。デスクトップのショートカットにコマンド「{command}」を割り当ててください。</translation>
        </message>
        <message>
            <source>Not registered: {reason}</source>
            <translation>登録できませんでした: {reason}</translation>
        </message>
        <message>
            <source>Could not change “start at login”: {reason}</source>
            <translation>「ログイン時に起動」を変更できませんでした: {reason}</translation>
        </message>
        <message>
            <source>The shortcut {shortcut} is already used by another application, so it does nothing in TimeCrowd. Choose another one in Settings.</source>
            <extracomment>The shell's timer commands, carried out by the tray (as its shortcut would). {"toggle": "Ctrl+Alt+Shift+T", ...}: what is registered now. {"palette": "This combination is already used by another application: …"}: for the settings dialog.</extracomment>
            <translation>ショートカット {shortcut} は他のアプリケーションが使用しているため、TimeCrowd では動作しません。設定で別のショートカットを選んでください。</translation>
        </message>
        <message>
            <source>The shortcut {shortcut} cannot be used: {reason}</source>
            <translation>ショートカット {shortcut} は使用できません: {reason}</translation>
        </message>
    </context>
    <context>
        <name>TrayController</name>
        <message>
            <source>Signed out: click to sign in</source>
            <translation>サインアウト中: クリックしてサインイン</translation>
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
            <source>Not tracking: click to start the latest task</source>
            <translation>計測していません: クリックで最新のタスクを開始</translation>
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
    <context>
        <name>App</name>
        <message>
            <source>Something went wrong ({error}). The details are in the log.</source>
            <translation>問題が発生しました（{error}）。詳細はログを確認してください。</translation>
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
            <translation>TimeCrowd にサインインできませんでした</translation>
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
            <translation>そこで送信を待っている操作の件数を数えられませんでした。操作はそのまま残り、フォルダーに書き込めるようになったら送信します。</translation>
        </message>
        <message numerus="yes">
            <source>%n action(s) already waiting there stay there and are sent once the folder can be written.</source>
            <translation>
                <numerusform>そこで送信を待っている %n 件の操作はそのまま残り、フォルダーに書き込めるようになったら送信します。</numerusform>
            </translation>
        </message>
        <message>
            <source>The list of your unsent actions was damaged</source>
            <translation>未送信の操作の記録が壊れていました</translation>
        </message>
        <message>
            <source>The file keeping your actions until they reach TimeCrowd was damaged. A new one was started; the damaged one is kept at {path}.</source>
            <translation>TimeCrowd に届くまで操作を保存しておくファイルが壊れていました。新しいファイルで再開し、壊れたファイルは {path} に保管しています。</translation>
        </message>
        <message numerus="yes">
            <source>%n action(s) were recovered from it and will be sent.</source>
            <translation>
                <numerusform>そこから %n 件の操作を復元しました。これから送信します。</numerusform>
            </translation>
        </message>
        <message>
            <source>An unknown number of actions could not be read from it: they will not be sent.</source>
            <translation>そこから読み取れなかった操作があります（件数は不明）。それらは送信されません。</translation>
        </message>
        <message numerus="yes">
            <source>%n action(s) could not be read from it: they will not be sent.</source>
            <translation>
                <numerusform>そこから %n 件の操作を読み取れませんでした。それらは送信されません。</numerusform>
            </translation>
        </message>
        <message>
            <source>No action waiting to be sent was lost.</source>
            <translation>送信待ちの操作は失われていません。</translation>
        </message>
        <message>
            <source>Some of your unsent actions could not be read</source>
            <translation>未送信の操作の一部を読み取れませんでした</translation>
        </message>
        <message numerus="yes">
            <source>%n action(s) waiting to be sent could not be read: they will not be sent. They are kept for inspection in {path}.</source>
            <translation>
                <numerusform>送信待ちの %n 件の操作を読み取れませんでした。それらは送信されません。確認用に {path} に保管しています。</numerusform>
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
            <source>TimeCrowd Tray was started with {source}, which chooses the server: the new server setting applies once it is started without it.</source>
            <translation>TimeCrowd Tray は {source} を指定して起動されているため、サーバーはそちらで決まります。新しいサーバーの設定は、それを指定せずに起動したときに反映されます。</translation>
        </message>
    </context>
</TS>
