<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
    <context>
        <name>Notifier</name>
        <message numerus="yes">
            <source>%n change(s) made offline reached TimeCrowd.</source>
            <translation>
                <numerusform>%n change made offline reached TimeCrowd.</numerusform>
                <numerusform>%n changes made offline reached TimeCrowd.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>TrayMenu</name>
        <message numerus="yes">
            <source>Pending changes (%n)</source>
            <translation>
                <numerusform>Pending changes (%n)</numerusform>
                <numerusform>Pending changes (%n)</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>App</name>
        <message numerus="yes">
            <source>%n action(s) already waiting there stay there and are sent once the folder can be written.</source>
            <translation>
                <numerusform>%n action already waiting there stays there and is sent once the folder can be written.</numerusform>
                <numerusform>%n actions already waiting there stay there and are sent once the folder can be written.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n action(s) were recovered from it and will be sent.</source>
            <translation>
                <numerusform>%n action was recovered from it and will be sent.</numerusform>
                <numerusform>%n actions were recovered from it and will be sent.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n action(s) could not be read from it: they will not be sent.</source>
            <translation>
                <numerusform>%n action could not be read from it: it will not be sent.</numerusform>
                <numerusform>%n actions could not be read from it: they will not be sent.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n action(s) waiting to be sent could not be read: they will not be sent. They are kept for inspection in {path}.</source>
            <translation>
                <numerusform>%n action waiting to be sent could not be read: it will not be sent. It is kept for inspection in {path}.</numerusform>
                <numerusform>%n actions waiting to be sent could not be read: they will not be sent. They are kept for inspection in {path}.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>TrayController</name>
        <message numerus="yes">
            <source>%n change(s) waiting to be sent</source>
            <translation>
                <numerusform>%n change waiting to be sent</numerusform>
                <numerusform>%n changes waiting to be sent</numerusform>
            </translation>
        </message>
    </context>
</TS>
