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
        <name>TrayController</name>
        <message numerus="yes">
            <source>%n change(s) waiting to be sent</source>
            <translation>
                <numerusform>%n change waiting to be sent</numerusform>
                <numerusform>%n changes waiting to be sent</numerusform>
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
</TS>
