import { CustomResource } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { checkProps } from '@engagement-db/cdk-kit';
import {
  athenaViewPropertiesOf,
  createViewPrefixOf,
  quotedName,
  sqlHashOf,
  viewNamePattern,
} from '../handlers/athena-view-properties';
import type { AthenaViewProvider } from './athena-view-provider';

/** Which view, created by which provider, from which statement. */
export interface AthenaViewProps {
  /** The provider that runs the statement, in its workgroup and database. */
  readonly provider: AthenaViewProvider;
  /** The view's name: lower-case letters, digits and underscores. */
  readonly viewName: string;
  /** `CREATE OR REPLACE VIEW "<database>"."<viewName>" AS ...`, in Athena's dialect. */
  readonly statement: string;
}

/** The most bytes Athena accepts in one query string. */
export const maxStatementBytes = 262_144;

/**
 * One Athena view, created by a `Custom::AthenaView` resource that runs its `CREATE OR REPLACE VIEW`
 * in the provider's workgroup and waits for it to end: a failed statement fails the deployment with
 * Athena's reason. The resource's physical id is the database and view name, so an edited statement
 * (its SHA-256 is the `SqlHash` property) replaces the view in place and a renamed view drops the
 * old one; deleting the resource drops the view. A view that reads another is created after it
 * with `addDependency`.
 *
 * @example const view = new AthenaView(stack, 'EmailMessageStatus', { provider, viewName, statement });
 */
export class AthenaView extends Construct {
  readonly viewName: string;
  readonly databaseName: string;
  /** `"<database>"."<view>"`, as a query names it. */
  readonly qualifiedName: string;
  /** The SHA-256 of the statement. */
  readonly sqlHash: string;
  private readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: AthenaViewProps) {
    super(scope, id);
    const databaseName = props.provider.databaseName;
    const prefix = createViewPrefixOf(databaseName, props.viewName);
    checkProps(this, [
      {
        prop: 'viewName',
        value: props.viewName,
        valid: viewNamePattern.test(props.viewName),
        expected: '1 to 255 lower-case letters, digits or underscores (Athena’s view names)',
        fix: 'pass a viewName such as "email_message_status"',
      },
      {
        prop: 'statement',
        value: props.statement.length > 80 ? `${props.statement.slice(0, 80)}…` : props.statement,
        valid: props.statement.startsWith(prefix) && Buffer.byteLength(props.statement) <= maxStatementBytes,
        expected: `a statement starting ${prefix}, at most ${maxStatementBytes} bytes`,
        fix: 'pass createViewStatement(view, names) of @engagement-db/sql for this view and database',
      },
    ]);
    props.provider.allowView(props.viewName);
    this.viewName = props.viewName;
    this.databaseName = databaseName;
    this.qualifiedName = quotedName(databaseName, props.viewName);
    this.sqlHash = sqlHashOf(props.statement);
    this.resource = new CustomResource(this, 'Default', {
      resourceType: 'Custom::AthenaView',
      serviceToken: props.provider.serviceToken,
      properties: athenaViewPropertiesOf({
        database: databaseName,
        viewName: props.viewName,
        statement: props.statement,
        workGroup: props.provider.workgroup.workgroupName,
      }),
    });
  }

  /** Creates this view after the given views (those it reads), and drops it before them. */
  addDependency(...views: AthenaView[]): void {
    for (const view of views) this.resource.node.addDependency(view.resource);
  }
}
