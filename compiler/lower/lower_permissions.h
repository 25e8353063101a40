#pragma once
// Lowering of `permissions` in an `app` (what the CloudFormation deploy role
// may do beyond the default derived from the app template) and in `build`
// (what the build's commands need beyond the artifact buckets):
//
//   permissions admin
//   permissions {
//     managed-policy arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess
//     allow dynamodb:DescribeTable dynamodb:UpdateTable {
//       resources "arn:${AWS::Partition}:dynamodb:*:${AWS::AccountId}:table/orders"
//     }
//     allow xray:PutTraceSegments
//     boundary arn:aws:iam::123456789012:policy/app-boundary
//   }

#include "compiler/base/diagnostics.h"
#include "compiler/ir/ir.h"
#include "compiler/lower/schema.h"

namespace mrp {

/// The shape of `permissions` in `app` and `build`.
extern const DirectiveShape permissions_shape;

/// Lowers one `permissions` directive (shape already checked) into `out`.
void lower_permissions(const Directive& d, Permissions& out, Diagnostics& diags);

}  // namespace mrp
